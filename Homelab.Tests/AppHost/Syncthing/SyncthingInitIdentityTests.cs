using System.Globalization;
using System.Security.Cryptography;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.AppHost.Publishing;
using Homelab.Tests.Infrastructure;
using k8s.Models;

namespace Homelab.Tests.AppHost.Syncthing;

/// <summary>
/// The published init container run under podman as a kubelet would (uid 1000, read-only root, the claims as
/// folders), with Debian's Syncthing 1.19.2 standing in for the official image: the identity from the Secret is
/// what the volume holds, whatever the volume held before. The AppHost runs the same script locally.
/// </summary>
public sealed class SyncthingInitIdentityTests
{
    [PodmanFact]
    public async Task A_wiped_config_volume_comes_back_with_the_same_device_id_StandIn()
    {
        var pod = await PodAsync();
        var identity = SyncthingIdentity.Generate(TimeProvider.System);
        var config = await OwnedFolderAsync(pod);

        var first = RunInit(pod, config, identity);
        var firstId = await DeviceIdAsync(config);
        Directory.Delete(config, recursive: true);
        Directory.CreateDirectory(config);
        await OwnAsync(pod, config);
        var second = RunInit(pod, config, identity);

        Assert.Equal(identity.DeviceId, firstId);
        Assert.Equal(identity.DeviceId, await DeviceIdAsync(config));
        Assert.Contains($"device ID {identity.DeviceId}", first, StringComparison.Ordinal);
        Assert.Contains($"device ID {identity.DeviceId}", second, StringComparison.Ordinal);
        // The pair as given, private to the pod's user; `syncthing generate` ran after it (config.xml).
        Assert.Equal(identity.CertificatePem, await File.ReadAllTextAsync(Path.Combine(config, "cert.pem")));
        Assert.Equal(identity.KeyPem, await File.ReadAllTextAsync(Path.Combine(config, "key.pem")));
        var uid = pod.SecurityContext.RunAsUser?.ToString(CultureInfo.InvariantCulture);
        foreach (var file in new[] { "cert.pem", "key.pem" })
        {
            Assert.Equal($"600 {uid}", (await ProcessRunner.RunAsync("stat", ["-c", "%a %u", Path.Combine(config, file)])).Trim());
        }

        Assert.True(File.Exists(Path.Combine(config, "config.xml")));
        Assert.Empty(Directory.GetFiles(config, "*.bak*"));
    }

    [PodmanFact]
    public async Task The_models_identity_replaces_another_on_the_volume_which_is_kept_beside_it_and_both_ids_are_logged_StandIn()
    {
        var pod = await PodAsync();
        var config = await OwnedFolderAsync(pod);
        // A volume from before: Syncthing made its own identity (a Secret without the key leaves it alone).
        var before = RunInit(pod, config, identity: null);
        var volumeId = await DeviceIdAsync(config);
        var volumeCert = await File.ReadAllTextAsync(Path.Combine(config, "cert.pem"));
        var volumeKey = await File.ReadAllTextAsync(Path.Combine(config, "key.pem"));
        Assert.Contains("no identity given", before, StringComparison.Ordinal);
        var model = SyncthingIdentity.Generate(TimeProvider.System);

        var replaced = RunInit(pod, config, model);

        Assert.Equal(model.DeviceId, await DeviceIdAsync(config));
        Assert.Equal(volumeCert, await File.ReadAllTextAsync(Path.Combine(config, "cert.pem.bak")));
        Assert.Equal(volumeKey, await File.ReadAllTextAsync(Path.Combine(config, "key.pem.bak")));
        Assert.Equal("600", (await ProcessRunner.RunAsync("stat", ["-c", "%a", Path.Combine(config, "key.pem.bak")])).Trim());
        Assert.Contains(SyncthingInit.ReplacedMessage, replaced, StringComparison.Ordinal);
        Assert.Contains($"(device ID {volumeId})", replaced, StringComparison.Ordinal);
        Assert.Contains($"(device ID {model.DeviceId})", replaced, StringComparison.Ordinal);

        // The same identity again changes nothing; another one never overwrites an earlier backup.
        var again = RunInit(pod, config, model);
        Assert.DoesNotContain(SyncthingInit.ReplacedMessage, again, StringComparison.Ordinal);
        Assert.Equal(["cert.pem.bak", "key.pem.bak"], Directory.GetFiles(config, "*.bak*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var next = SyncthingIdentity.Generate(TimeProvider.System);
        RunInit(pod, config, next);
        Assert.Equal(next.DeviceId, await DeviceIdAsync(config));
        Assert.Equal(volumeCert, await File.ReadAllTextAsync(Path.Combine(config, "cert.pem.bak")));
        Assert.Equal(model.CertificatePem, await File.ReadAllTextAsync(Path.Combine(config, "cert.pem.bak.1")));
    }

    [PodmanFact]
    public async Task A_volumes_own_pair_given_as_the_parameter_keeps_its_device_id_the_migration_StandIn()
    {
        var pod = await PodAsync();
        var config = await OwnedFolderAsync(pod);
        RunInit(pod, config, identity: null);
        var volumeId = await DeviceIdAsync(config);
        // What README's migration puts in the parameter: cert.pem then key.pem, as Syncthing wrote them.
        var imported = SyncthingIdentity.Parse(await File.ReadAllTextAsync(Path.Combine(config, "cert.pem")) + await File.ReadAllTextAsync(Path.Combine(config, "key.pem")), out var error);
        Assert.Null(error);

        var output = RunInit(pod, config, imported);

        Assert.Equal(volumeId, imported!.DeviceId);
        Assert.Equal(volumeId, await DeviceIdAsync(config));
        Assert.DoesNotContain(SyncthingInit.ReplacedMessage, output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(config, "*.bak*"));
    }

    [PodmanFact]
    public async Task An_identity_without_a_key_block_stops_the_init_and_is_never_echoed_StandIn()
    {
        var pod = await PodAsync();
        var config = await OwnedFolderAsync(pod);
        var identity = SyncthingIdentity.Generate(TimeProvider.System);
        var secrets = Secrets(identity.CertificatePem);

        var result = Podman.Run(["run", "--rm", .. PublishedContainer.PodmanArguments(pod, Assert.Single(pod.InitContainers), Image, Claims(pod, config), secrets)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("holds no certificate and key block", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(identity.CertificatePem.Split('\n')[1], result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config, "cert.pem")));
    }

    private static string Image => $"{Podman.SyncthingImage}:{Podman.SyncthingTag}";

    private static async Task<V1PodSpec> PodAsync() =>
        (await Publisher.RenderAsync(Publisher.Committed)).OfType<V1Deployment>().Single(d => d.Metadata.Name == "syncthing").Spec.Template.Spec;

    private static string RunInit(V1PodSpec pod, string config, SyncthingIdentity? identity)
    {
        var result = Podman.Run(["run", "--rm", .. PublishedContainer.PodmanArguments(pod, Assert.Single(pod.InitContainers), Image, Claims(pod, config), Secrets(identity?.Value))]);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Output;
    }

    private static Dictionary<string, string> Secrets(string? identity)
    {
        var secrets = new Dictionary<string, string> { ["syncthing-gui-password"] = RandomNumberGenerator.GetHexString(24) };
        if (identity is not null)
        {
            secrets[AppHostModel.SyncthingIdentityParameter] = identity;
        }

        return secrets;
    }

    /// <summary>The init container's only claim is the config volume.</summary>
    private static Dictionary<string, string> Claims(V1PodSpec pod, string config)
    {
        var mount = Assert.Single(pod.InitContainers).VolumeMounts.Single(m => m.MountPath == SyncthingResource.ConfigPath);
        return new Dictionary<string, string> { [pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim.ClaimName] = config };
    }

    private static async Task<string> OwnedFolderAsync(V1PodSpec pod)
    {
        var folder = Directory.CreateTempSubdirectory("homelab-claim-").FullName;
        await OwnAsync(pod, folder);
        return folder;
    }

    private static Task<string> OwnAsync(V1PodSpec pod, string folder) =>
        ProcessRunner.RunAsync("chown", ["-R", $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}", folder]);

    /// <summary>What Syncthing itself says the volume's device ID is.</summary>
    private static async Task<string> DeviceIdAsync(string config) =>
        (await ProcessRunner.RunAsync("syncthing", ["--device-id", "--home", config])).Trim();
}
