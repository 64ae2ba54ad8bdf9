using System.Globalization;
using Homelab.AppHost.Navidrome;
using Homelab.AppHost.Publishing;
using Homelab.AppHost.Syncthing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Homelab.AppHost.Backups;

/// <summary>Turns on the apps' backups into the backup folder, and the dashboard's "Back up now".</summary>
internal static class BackupBuilderExtensions
{
    /// <summary>Where Navidrome writes its backups (<c>ND_BACKUP_PATH</c>).</summary>
    public const string NavidromeBackupPath = "/backups";

    /// <summary>Navidrome's own CLI (0.54+): an online SQLite backup into ND_BACKUP_PATH, pruned to ND_BACKUP_COUNT.</summary>
    public static readonly IReadOnlyList<string> NavidromeBackupCommand = ["/app/navidrome", "backup", "create"];

    /// <summary>
    /// Navidrome's scheduled backups (0.54+) into <c>&lt;backup folder&gt;/navidrome</c>: the database with
    /// users, playlists and play counts, on the schedule, keeping the newest <see cref="BackupSettings.Keep"/>.
    /// </summary>
    public static IResourceBuilder<NavidromeResource> WithBackups(this IResourceBuilder<NavidromeResource> navidrome, BackupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(navidrome);
        ArgumentNullException.ThrowIfNull(settings);
        return navidrome
            .WithBindMount(settings.LocalFolder(BackupSettings.NavidromeSubfolder), NavidromeBackupPath)
            .WithEnvironment("ND_BACKUP_PATH", NavidromeBackupPath)
            .WithEnvironment("ND_BACKUP_SCHEDULE", settings.Schedule)
            .WithEnvironment("ND_BACKUP_COUNT", settings.KeepCount.ToString(CultureInfo.InvariantCulture))
            .WithAnnotation(new BackupCommandAnnotation(NavidromeBackupCommand))
            .WithBackUpNowCommand();
    }

    /// <summary>
    /// A sidecar (<c>&lt;name&gt;-backup</c>, same image) that reads the config volume read-only and snapshots
    /// it into <c>&lt;backup folder&gt;/syncthing</c> (<see cref="SyncthingBackup"/>). In the cluster it is a
    /// second container of Syncthing's pod.
    /// </summary>
    public static IResourceBuilder<SyncthingResource> WithBackupSidecar(this IResourceBuilder<SyncthingResource> syncthing, BackupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(syncthing);
        ArgumentNullException.ThrowIfNull(settings);
        var app = syncthing.Resource;
        var image = app.Annotations.OfType<ContainerImageAnnotation>().Single();
        var config = app.Annotations.OfType<ContainerMountAnnotation>().Single(m => m.Target == SyncthingResource.ConfigPath);
        var sidecar = syncthing.ApplicationBuilder.AddContainer($"{app.Name}-backup", image.Image, image.Tag ?? "latest");
        if (image.Registry is { Length: > 0 } registry)
        {
            // The same image exactly: a local one (localhost/...) keeps its registry apart from its name.
            sidecar.WithImageRegistry(registry);
        }

        sidecar
            // Read-only in the cluster's pod. Locally DCP cannot start a container that mounts a named volume read-only
            // while another mounts it read-write (seen: FailedToStart, no container created, no log line).
            .WithVolume(config.Source, SyncthingResource.ConfigPath, isReadOnly: !syncthing.ApplicationBuilder.ExecutionContext.IsRunMode)
            .WithBindMount(settings.LocalFolder(BackupSettings.SyncthingSubfolder), SyncthingBackup.BackupPath)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", SyncthingBackup.Script, $"{app.Name}-backup")
            .WithEnvironment(SyncthingBackup.ScheduleVariable, settings.Schedule)
            .WithEnvironment(SyncthingBackup.KeepVariable, settings.KeepCount.ToString(CultureInfo.InvariantCulture))
            .WithParentRelationship(syncthing)
            // Locally: after the init wrote the config (and the volume exists), so the first snapshot has something to copy.
            .WaitFor(syncthing)
            .WithAnnotation(new BackupCommandAnnotation(SyncthingBackup.NowCommand))
            .WithAnnotation(new SidecarAnnotation(app))
            // In the cluster: it writes only the backup folder; a shell loop that sleeps, a copy of a few KiB a day.
            .WithAnnotation(new ReadOnlyRootAnnotation())
            .WithAnnotation(new ResourceBudgetAnnotation("5m", "100m", "8Mi", "32Mi"));
        return syncthing.WithBackUpNowCommand();
    }

    /// <summary>"Back up now" on the app's dashboard row: backs up every app, not only this one.</summary>
    private static IResourceBuilder<T> WithBackUpNowCommand<T>(this IResourceBuilder<T> resource) where T : ContainerResource
    {
        resource.ApplicationBuilder.Services.TryAddSingleton<ContainerExec>();
        resource.ApplicationBuilder.Services.TryAddSingleton<BackUpNow>();
        return resource.WithCommand(
            BackUpNow.CommandName,
            BackUpNow.DisplayName,
            context => context.Services.GetRequiredService<BackUpNow>().RunAsync(context.CancellationToken),
            new CommandOptions { IconName = "Save", Description = "Back up Navidrome's database and Syncthing's config into the backup folder now" });
    }
}
