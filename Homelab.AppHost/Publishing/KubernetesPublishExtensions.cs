#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // The pipeline API is experimental in Aspire 13.6; it is the only publish hook.
using Aspire.Hosting.Pipelines;
using Homelab.AppHost.Reconciler;
using Homelab.Defaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Publishing;

/// <summary>Adds the publish step that writes plain Kubernetes manifests for <c>kubectl apply -k</c>, Flux and our reconciler.</summary>
internal static class KubernetesPublishExtensions
{
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="musicFolder">The local music folder (bind mount source), published as <c>Homelab:Publish:MusicFolder</c>.</param>
    /// <param name="notesFolder">The local notes folder, published as <c>Homelab:Publish:NotesFolder</c>.</param>
    /// <param name="backup">The backup folder's subfolders, published under <c>Homelab:Publish:BackupFolder</c>.</param>
    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder, string musicFolder, string notesFolder, Backups.BackupSettings backup)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(backup);
        var repository = SourceRepository.Find(builder.AppHostDirectory);
        var settings = PublishSettings.Read(builder.Configuration, repository?.OriginUrl());
        var hostPaths = new Dictionary<string, string>(StringComparer.Ordinal) { [musicFolder] = settings.MusicFolder, [notesFolder] = settings.NotesFolder };
        foreach (var app in new[] { Backups.BackupSettings.NavidromeSubfolder, Backups.BackupSettings.SyncthingSubfolder })
        {
            hostPaths[backup.LocalFolder(app)] = backup.NodeFolder(app, settings);
        }

        builder.Pipeline.AddStep("publish-kubernetes", async context =>
        {
            // Aspire resolves a relative --output-path against the AppHost folder (`dotnet run` also starts
            // there); ours is relative to the repository root, so `--output-path clusters/my-laptop` lands in clusters/.
            var output = builder.Configuration["Pipeline:OutputPath"] is { Length: > 0 } given && !Path.IsPathRooted(given) && repository is not null
                ? Path.GetFullPath(given, repository.Root)
                : context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
            PublishedCluster cluster;
            try
            {
                cluster = await ClusterTree.CreateAsync(context.Model, settings, hostPaths).ConfigureAwait(false);
            }
            catch (PublishException e)
            {
                // Aspire logs a failed step with three stack traces and still exits 0: one message, exit 1, nothing written.
                context.Logger.LogError("{Message}", e.Message);
                Environment.ExitCode = 1;
                return;
            }

            var kept = GeneratedFiles.Write(output, cluster.Generated, cluster.Seeds);
            context.Logger.LogInformation("Wrote {Count} files for cluster {Cluster} into {Output}", cluster.Generated.Count, settings.Cluster, output);
            foreach (var file in kept)
            {
                context.Logger.LogInformation("Kept your {File} (your patches and resources)", file);
            }

            if (settings.Profile != PublishSettings.DockerDesktopProfile || settings.Storage == PublishSettings.HostStorage)
            {
                // hostPath keeps a folder's owner: the apps' fixed uids must own what they write.
                context.Logger.LogInformation(
                    "On the node, prepare the folders the hostPath volumes use:\n{Commands}",
                    string.Join('\n', cluster.NodeFolders.Select(f => "  " + f.Command)));
            }
            if (settings.RepositoryUrl == ReconcilerDefaults.PlaceholderRepositoryUrl)
            {
                context.Logger.LogWarning(
                    "The cluster's reconciler follows the placeholder {Url}: set " + ReconcilerDefaults.RepositoryUrlSetting + ", or give this clone an https or SSH origin",
                    settings.RepositoryUrl);
            }
        }, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }
}
