using Homelab.AppHost.Backups;
using Homelab.Tests.AppHost.Publishing;
using k8s.Models;

namespace Homelab.Tests.AppHost.Backups;

/// <summary>
/// The backups as published for a bare cluster (<c>Storage=host</c>): real publish, real <c>kubectl kustomize</c>.
/// Navidrome cannot run here, so its backups are judged by the manifests: the env its docs name, the
/// folder mounted where ND_BACKUP_PATH points, writable by the uid the pod runs as.
/// </summary>
public sealed class PublishedBackupTests
{
    private static readonly string[] HostSettings =
    [
        "--Homelab:Publish:Profile=generic",
        "--Homelab:Publish:Storage=host",
        "--Homelab:Publish:DataFolder=/data/homelab",
        "--Homelab:Publish:MusicFolder=/home/me/Music",
        "--Homelab:Publish:NotesFolder=/home/me/Obsidian",
        "--Homelab:Publish:BackupFolder=/home/me/HomelabBackups",
        "--Homelab:Backup:Schedule=15 2 * * *",
        "--Homelab:Backup:Keep=5",
    ];

    [Fact]
    public async Task Navidrome_backs_up_to_a_host_folder_claim_mounted_at_its_backup_path_writable_by_its_uid()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var log = await Publisher.PublishAsync(output, HostSettings);
        var objects = await Publisher.RenderAsync(output);
        var pod = Pod(objects, "navidrome");
        var navidrome = pod.Containers.Single(c => c.Name == "navidrome");

        var env = navidrome.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("/backups", "15 2 * * *", "5"), (env["ND_BACKUP_PATH"], env["ND_BACKUP_SCHEDULE"], env["ND_BACKUP_COUNT"]));
        var mount = Assert.Single(navidrome.VolumeMounts, m => m.MountPath == env["ND_BACKUP_PATH"]);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        var volume = AssertHostFolder(objects, pod, mount.Name, "/home/me/HomelabBackups/navidrome");
        Assert.Equal((1000L, 1000L), (pod.SecurityContext.RunAsUser!.Value, pod.SecurityContext.RunAsGroup!.Value));
        Assert.Contains($"sudo mkdir -p '{volume}' && sudo chown -R 1000:1000 '{volume}'", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syncthings_backup_sidecar_is_a_second_container_of_its_pod_reading_the_config_claim_and_writing_the_backup_claim()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var log = await Publisher.PublishAsync(output, HostSettings);
        var objects = await Publisher.RenderAsync(output);

        // Not an app of its own: two Deployments, the sidecar inside Syncthing's.
        Assert.Equal(["navidrome", "syncthing"], objects.OfType<V1Deployment>().Where(d => d.Metadata.NamespaceProperty == "homelab").Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));
        var pod = Pod(objects, "syncthing");
        var syncthing = pod.Containers.Single(c => c.Name == "syncthing");
        var sidecar = pod.Containers.Single(c => c.Name == "syncthing-backup");

        Assert.Equal(syncthing.Image, sidecar.Image);
        Assert.Equal(["/bin/sh"], sidecar.Command);
        Assert.Equal(["-c", SyncthingBackup.Script, "syncthing-backup"], sidecar.Args);
        var env = sidecar.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("15 2 * * *", "5"), (env["BACKUP_SCHEDULE"], env["BACKUP_KEEP"]));

        // The same config claim as Syncthing's, read-only; the backup folder writable.
        var config = Assert.Single(sidecar.VolumeMounts, m => m.MountPath == "/var/syncthing/config");
        Assert.True(config.ReadOnlyProperty);
        Assert.Equal(syncthing.VolumeMounts.Single(m => m.MountPath == "/var/syncthing/config").Name, config.Name);
        var backups = Assert.Single(sidecar.VolumeMounts, m => m.MountPath == "/backups");
        Assert.NotEqual(true, backups.ReadOnlyProperty);
        var folder = AssertHostFolder(objects, pod, backups.Name, "/home/me/HomelabBackups/syncthing");
        Assert.Contains($"sudo mkdir -p '{folder}' && sudo chown -R 1000:1000 '{folder}'", log, StringComparison.Ordinal);

        // Syncthing's uid (the pod's), locked down, within a small budget.
        Assert.Null(sidecar.SecurityContext.RunAsUser);
        Assert.Equal(1000L, pod.SecurityContext.RunAsUser);
        Assert.True(sidecar.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(sidecar.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], sidecar.SecurityContext.Capabilities.Drop);
        Assert.Equal(("5m", "8Mi", "100m", "32Mi"), (sidecar.Resources.Requests["cpu"].ToString(), sidecar.Resources.Requests["memory"].ToString(), sidecar.Resources.Limits["cpu"].ToString(), sidecar.Resources.Limits["memory"].ToString()));
        Assert.Empty(PodSecurityStandards.Violations(pod, "restricted"));
    }

    private static V1PodSpec Pod(IEnumerable<k8s.IKubernetesObject> objects, string name) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name && d.Metadata.NamespaceProperty == "homelab").Spec.Template.Spec;

    /// <summary>The pod's volume is a claim bound to a hostPath PersistentVolume at that folder; returns the folder.</summary>
    private static string AssertHostFolder(IEnumerable<k8s.IKubernetesObject> objects, V1PodSpec pod, string volumeName, string path)
    {
        var claimName = pod.Volumes.Single(v => v.Name == volumeName).PersistentVolumeClaim.ClaimName;
        var claim = objects.OfType<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == claimName);
        var volume = objects.OfType<V1PersistentVolume>().Single(v => v.Metadata.Name == claim.Spec.VolumeName);
        Assert.Equal((claim.Metadata.NamespaceProperty, claim.Metadata.Name), (volume.Spec.ClaimRef.NamespaceProperty, volume.Spec.ClaimRef.Name));
        Assert.Equal(path, volume.Spec.HostPath.Path);
        Assert.Equal("Retain", volume.Spec.PersistentVolumeReclaimPolicy);
        return volume.Spec.HostPath.Path;
    }
}
