#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // The pipeline API is experimental in Aspire 13.6; it is the only publish hook.
using Aspire.Hosting.Pipelines;
using Homelab.AppHost.Hosting;
using Homelab.AppHost.Reconciler;
using Homelab.AppHost.Syncthing;
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
            // Syncthing's device ID, from the identity the AppHost already holds: publish, like bootstrap, generates no secret.
            var deviceIds = new List<(string Resource, string Parameter, string? DeviceId)>();
            foreach (var syncthing in context.Model.Resources.OfType<SyncthingResource>())
            {
                SyncthingIdentity? identity = null;
                if (builder.Configuration[$"Parameters:{syncthing.Identity.Name}"] is { } value && (identity = SyncthingIdentity.Parse(value, out var error)) is null)
                {
                    context.Logger.LogError("The {Parameter} parameter {Error}", syncthing.Identity.Name, error);
                    Environment.ExitCode = 1;
                    return;
                }

                deviceIds.Add((syncthing.Name, syncthing.Identity.Name, identity?.DeviceId));
            }

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

            // With the parameters kept encrypted, the cluster's Secrets go into the tree encrypted too: bootstrap needs only the age key.
            if (EncryptedParameters.InUse(builder.Configuration)
                && EncryptedClusterSecrets.Add(cluster.Generated, output, p => builder.Configuration[$"{EncryptedParameters.Section}:{p}"], EncryptedParameters.Environment(builder.Configuration)) is { } secretsError)
            {
                context.Logger.LogError("Cannot write the encrypted Secrets: {Error}", secretsError);
                Environment.ExitCode = 1;
                return;
            }

            var kept = GeneratedFiles.Write(output, cluster.Generated, cluster.Seeds);
            context.Logger.LogInformation("Wrote {Count} files for cluster {Cluster} into {Output}", cluster.Generated.Count, settings.Cluster, output);
            foreach (var file in kept)
            {
                context.Logger.LogInformation("Kept your {File} (your patches and resources)", file);
            }

            foreach (var (resource, parameter, deviceId) in deviceIds)
            {
                if (deviceId is null)
                {
                    context.Logger.LogWarning(
                        "{Resource} has no identity yet: run the AppHost once (it generates Parameters:{Parameter}) before bootstrap, or the cluster's Syncthing makes a device ID of its own",
                        resource,
                        parameter);
                }
                else
                {
                    context.Logger.LogInformation("{Resource}'s device ID (pair your devices with it): {DeviceId}", resource, deviceId);
                }
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
