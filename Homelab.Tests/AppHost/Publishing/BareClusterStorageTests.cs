using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// A cluster without a storage provisioner (<c>Homelab:Publish:Storage=host</c>): every claim gets a
/// hostPath PersistentVolume it binds to, and publish says how to prepare the folders on the node.
/// Binding is judged from the objects as the PersistentVolume controller matches them (class, claimRef,
/// volumeName, access modes, capacity); no real node runs here.
/// </summary>
public sealed class BareClusterStorageTests
{
    private static readonly string[] HostSettings =
    [
        "--Homelab:Publish:Profile=generic",
        "--Homelab:Publish:Storage=host",
        "--Homelab:Publish:DataFolder=/data/homelab",
        "--Homelab:Publish:MusicFolder=/home/me/Music",
        "--Homelab:Publish:NotesFolder=/home/me/Obsidian",
    ];

    [Fact]
    public async Task Host_storage_binds_every_claim_to_its_own_host_path_volume_under_the_data_folder()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        await Publisher.PublishAsync(output, HostSettings);

        var objects = await Publisher.RenderAsync(output);
        var claims = objects.OfType<V1PersistentVolumeClaim>().ToList();
        Assert.Equal(
            ["homelab-system/homelab-reconciler-state", "homelab/navidrome-backups", "homelab/navidrome-data", "homelab/navidrome-music", "homelab/syncthing-backup-backups", "homelab/syncthing-config", "homelab/syncthing-obsidian"],
            claims.Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}").Order(StringComparer.Ordinal));
        foreach (var claim in claims)
        {
            var volume = Assert.Single(objects.OfType<V1PersistentVolume>(), v => v.Metadata.Name == claim.Spec.VolumeName);
            AssertBinds(claim, volume);
        }

        var paths = objects.OfType<V1PersistentVolume>().ToDictionary(v => $"{v.Spec.ClaimRef.NamespaceProperty}/{v.Spec.ClaimRef.Name}", v => v.Spec.HostPath);
        Assert.Equal(("/data/homelab/homelab/navidrome-data", "Directory"), (paths["homelab/navidrome-data"].Path, paths["homelab/navidrome-data"].Type));
        Assert.Equal("/data/homelab/homelab-system/homelab-reconciler-state", paths["homelab-system/homelab-reconciler-state"].Path);
        Assert.Equal("/home/me/Music", paths["homelab/navidrome-music"].Path);
        Assert.Equal("/home/me/Obsidian", paths["homelab/syncthing-obsidian"].Path);
        Assert.All(objects.OfType<V1PersistentVolume>(), v => Assert.Equal("Retain", v.Spec.PersistentVolumeReclaimPolicy));
        Assert.All(objects.OfType<V1Deployment>(), d => Assert.All(d.Spec.Template.Spec.Volumes, v => Assert.Null(v.HostPath)));
    }

    [Fact]
    public async Task Publish_gives_the_commands_that_hand_each_folder_to_the_uid_its_pod_runs_as()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var log = await Publisher.PublishAsync(output, HostSettings);

        var objects = await Publisher.RenderAsync(output);
        foreach (var volume in objects.OfType<V1PersistentVolume>())
        {
            // The uid comes from the pod that mounts the claim, not from a table in the test.
            var pod = objects.OfType<V1Deployment>()
                .Single(d => d.Metadata.NamespaceProperty == volume.Spec.ClaimRef.NamespaceProperty && d.Spec.Template.Spec.Volumes.Any(v => v.PersistentVolumeClaim?.ClaimName == volume.Spec.ClaimRef.Name))
                .Spec.Template.Spec;
            var readOnly = pod.Volumes.Single(v => v.PersistentVolumeClaim?.ClaimName == volume.Spec.ClaimRef.Name).PersistentVolumeClaim.ReadOnlyProperty == true;
            var owner = $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}";
            var command = readOnly
                ? $"sudo mkdir -p '{volume.Spec.HostPath.Path}' && sudo chmod -R a+rX '{volume.Spec.HostPath.Path}'"
                : $"sudo mkdir -p '{volume.Spec.HostPath.Path}' && sudo chown -R {owner} '{volume.Spec.HostPath.Path}'";

            Assert.Contains(command, log, StringComparison.Ordinal);
            var file = Directory.EnumerateFiles(output, $"pv-{volume.Metadata.Name}.yaml", SearchOption.AllDirectories).Single();
            Assert.Contains($"#   {command}", File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.Contains("sudo chown -R 1654:1654 '/data/homelab/homelab-system/homelab-reconciler-state'", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_provisioner_named_volumes_are_left_to_the_default_class_and_host_folders_are_still_bound_volumes()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);

        var data = objects.OfType<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == "navidrome-data");
        Assert.Null(data.Spec.StorageClassName);
        Assert.Null(data.Spec.VolumeName);
        var music = objects.OfType<V1PersistentVolumeClaim>().Single(c => c.Metadata.Name == "navidrome-music");
        AssertBinds(music, Assert.Single(objects.OfType<V1PersistentVolume>(), v => v.Metadata.Name == music.Spec.VolumeName));
        // The host folders: music, notes and the two apps' backup folders.
        Assert.Equal(4, objects.OfType<V1PersistentVolume>().Count());
    }

    [Fact]
    public async Task An_unknown_storage_mode_or_a_relative_data_folder_is_refused_naming_the_setting()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        var mode = await Publisher.PublishToExitAsync(output, "--Homelab:Publish:Storage=local-path");
        var folder = await Publisher.PublishToExitAsync(output, "--Homelab:Publish:Storage=host", "--Homelab:Publish:DataFolder=data");

        Assert.NotEqual(0, mode.ExitCode);
        Assert.Contains("Homelab:Publish:Storage is \"local-path\"", mode.Output + mode.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, folder.ExitCode);
        Assert.Contains("Homelab:Publish:DataFolder: \"data\" is not an absolute path", folder.Output + folder.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "kustomization.yaml")));
    }

    /// <summary>What the PersistentVolume controller needs to bind exactly this pair and nothing else.</summary>
    private static void AssertBinds(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        Assert.Equal(string.Empty, claim.Spec.StorageClassName);
        Assert.Equal(string.Empty, volume.Spec.StorageClassName);
        Assert.Equal((claim.Metadata.NamespaceProperty, claim.Metadata.Name), (volume.Spec.ClaimRef.NamespaceProperty, volume.Spec.ClaimRef.Name));
        Assert.Equal(volume.Metadata.Name, claim.Spec.VolumeName);
        Assert.Subset(volume.Spec.AccessModes.ToHashSet(), claim.Spec.AccessModes.ToHashSet());
        Assert.True(volume.Spec.Capacity["storage"].ToDecimal() >= claim.Spec.Resources.Requests["storage"].ToDecimal());
        Assert.NotNull(volume.Spec.HostPath);
    }
}
