using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Backups;
using Homelab.AppHost.Navidrome;
using Homelab.AppHost.Publishing;
using Homelab.AppHost.Syncthing;

namespace Homelab.Tests.AppHost.Backups;

/// <summary>The backups in the local model: Navidrome's own, Syncthing's sidecar, and "Back up now".</summary>
public sealed class BackupModelTests
{
    [Fact]
    public async Task Navidrome_backs_up_into_the_backup_folders_navidrome_subfolder_on_the_schedule_keeping_the_count()
    {
        var folder = Directory.CreateTempSubdirectory("homelab-backups-").FullName;
        await using var builder = await AppHostModel.BuildAsync($"Homelab:Backup:Folder={folder}", "Homelab:Backup:Schedule=30 4 * * 1", "Homelab:Backup:Keep=3");
        var navidrome = builder.Single<NavidromeResource>("navidrome");

        var environment = await navidrome.EnvironmentAsync();
        Assert.Equal("/backups", environment["ND_BACKUP_PATH"]);
        Assert.Equal("30 4 * * 1", environment["ND_BACKUP_SCHEDULE"]);
        Assert.Equal("3", environment["ND_BACKUP_COUNT"]);
        var mount = navidrome.Mount(environment["ND_BACKUP_PATH"]);
        Assert.Equal(ContainerMountType.BindMount, mount.Type);
        Assert.Equal(Path.Combine(folder, "navidrome"), mount.Source);
        Assert.False(mount.IsReadOnly);
        Assert.Equal(["/app/navidrome", "backup", "create"], Assert.Single(navidrome.Annotations.OfType<BackupCommandAnnotation>()).Command);
    }

    [Fact]
    public async Task Syncthing_has_a_backup_sidecar_with_its_image_its_config_volume_and_the_syncthing_subfolder()
    {
        var folder = Directory.CreateTempSubdirectory("homelab-backups-").FullName;
        await using var builder = await AppHostModel.BuildAsync($"Homelab:Backup:Folder={folder}", "Homelab:Backup:Keep=4");
        var syncthing = builder.Single<SyncthingResource>("syncthing");
        var sidecar = builder.Single<ContainerResource>("syncthing-backup");

        Assert.Equal(
            syncthing.Annotations.OfType<ContainerImageAnnotation>().Select(i => (i.Image, i.Tag)),
            sidecar.Annotations.OfType<ContainerImageAnnotation>().Select(i => (i.Image, i.Tag)));
        var config = sidecar.Mount(SyncthingResource.ConfigPath);
        Assert.Equal(syncthing.Mount(SyncthingResource.ConfigPath).Source, config.Source);
        Assert.Equal(ContainerMountType.Volume, config.Type);
        // Read-write locally only: DCP does not start a read-only mount of a volume another container writes (the pod's is read-only: PublishedBackupTests).
        Assert.False(config.IsReadOnly);
        var backups = sidecar.Mount("/backups");
        Assert.Equal((ContainerMountType.BindMount, Path.Combine(folder, "syncthing"), false), (backups.Type, backups.Source, backups.IsReadOnly));

        Assert.Equal("/bin/sh", sidecar.Entrypoint);
        Assert.Equal(["-c", SyncthingBackup.Script, "syncthing-backup"], await sidecar.ArgumentsAsync());
        var environment = await sidecar.EnvironmentAsync();
        Assert.Equal(("0 3 * * *", "4"), (environment["BACKUP_SCHEDULE"], environment["BACKUP_KEEP"]));
        Assert.Same(syncthing, Assert.Single(sidecar.Annotations.OfType<SidecarAnnotation>()).App);
        Assert.NotNull(Assert.Single(sidecar.Annotations.OfType<ResourceBudgetAnnotation>()));
        Assert.Empty(Assert.Single(sidecar.Annotations.OfType<ReadOnlyRootAnnotation>()).ScratchPaths);
    }

    [Fact]
    public async Task Both_apps_offer_back_up_now_in_the_dashboard()
    {
        await using var builder = await AppHostModel.BuildAsync();

        foreach (var name in new[] { "navidrome", "syncthing" })
        {
            var command = Assert.Single(builder.Single<ContainerResource>(name).Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "back-up-now");
            Assert.Equal("Back up now", command.DisplayName);
        }
    }

    [Fact]
    public async Task Without_syncthing_there_is_no_sidecar()
    {
        await using var builder = await AppHostModel.BuildAsync("Homelab:Syncthing:Enabled=false");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "syncthing-backup");
    }
}
