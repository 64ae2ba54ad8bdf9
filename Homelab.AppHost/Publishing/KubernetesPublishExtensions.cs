#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // The pipeline API is experimental in Aspire 13.6; it is the only publish hook.
using Aspire.Hosting.Pipelines;
using Homelab.AppHost.Reconciler;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Publishing;

/// <summary>Adds the publish step that writes plain Kubernetes manifests for <c>kubectl apply -k</c>, Flux and our reconciler.</summary>
internal static class KubernetesPublishExtensions
{
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="musicFolder">The local music folder (bind mount source), published as <c>Homelab:Publish:MusicFolder</c>.</param>
    /// <param name="notesFolder">The local notes folder, published as <c>Homelab:Publish:NotesFolder</c>.</param>
    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder, string musicFolder, string notesFolder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var repository = SourceRepository.Find(builder.AppHostDirectory);
        var settings = PublishSettings.Read(builder.Configuration, repository?.OriginUrl());
        var hostPaths = new Dictionary<string, string>(StringComparer.Ordinal) { [musicFolder] = settings.MusicFolder, [notesFolder] = settings.NotesFolder };
        builder.Pipeline.AddStep("publish-kubernetes", async context =>
        {
            // Aspire resolves a relative --output-path against the AppHost folder (`dotnet run` also starts
            // there); ours is relative to the repository root, so `--output-path clusters/my-laptop` lands in clusters/.
            var output = builder.Configuration["Pipeline:OutputPath"] is { Length: > 0 } given && !Path.IsPathRooted(given) && repository is not null
                ? Path.GetFullPath(given, repository.Root)
                : context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
            var files = await ClusterTree.CreateAsync(context.Model, settings, hostPaths).ConfigureAwait(false);
            GeneratedFiles.Write(output, files);
            context.Logger.LogInformation("Wrote {Count} files for cluster {Cluster} into {Output}", files.Count, settings.Cluster, output);
            if (settings.RepositoryUrl == PublishSettings.PlaceholderRepositoryUrl)
            {
                context.Logger.LogWarning(
                    "The cluster's reconciler follows the placeholder {Url}: set Homelab:Publish:RepositoryUrl, or give this clone an https or SSH origin",
                    settings.RepositoryUrl);
            }
        }, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }
}
