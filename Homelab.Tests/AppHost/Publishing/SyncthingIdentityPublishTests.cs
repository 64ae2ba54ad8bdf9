using System.Security.Cryptography;
using System.Text;
using Homelab.AppHost.Syncthing;
using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Publish carries Syncthing's identity as the GUI password is carried: a key of the Syncthing Secret, never a value in Git.</summary>
public sealed class SyncthingIdentityPublishTests
{
    [Fact]
    public async Task The_init_reads_the_identity_from_the_syncthing_secret_no_pem_reaches_the_tree_and_publish_prints_the_device_id()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var identity = SyncthingIdentity.Generate(TimeProvider.System);

        var result = await Publisher.PublishToExitAsync(output, Publisher.ExampleRepository, $"--Parameters:{AppHostModel.SyncthingIdentityParameter}={identity.Value}");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"device ID (pair your devices with it): {identity.DeviceId}", result.Output, StringComparison.Ordinal);
        var bodyLines = identity.Value.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        foreach (var (path, bytes) in Publisher.ReadTree(output))
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.False(PemEncoding.TryFind(text, out _), $"{path} holds a PEM block");
            Assert.All(bodyLines, l => Assert.DoesNotContain(l, text, StringComparison.Ordinal));
        }

        var objects = KubernetesYaml.LoadAllFromString(await Infrastructure.ProcessRunner.RunAsync("kubectl", ["kustomize", output]), strict: true);
        var pod = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "syncthing").Spec.Template.Spec;
        var init = Assert.Single(pod.InitContainers);
        var variable = Assert.Single(init.Env, e => e.Name == SyncthingInit.IdentityVariable);
        Assert.Null(variable.Value);
        Assert.Equal("syncthing-secrets", variable.ValueFrom.SecretKeyRef.Name);
        Assert.Equal(AppHostModel.SyncthingIdentityParameter, variable.ValueFrom.SecretKeyRef.Key);
        // A Secret made by an older bootstrap lacks the key: the pod still starts, keeping its volume's identity.
        Assert.True(variable.ValueFrom.SecretKeyRef.Optional);
        Assert.Equal("syncthing-secrets", Assert.Single(init.Env, e => e.Name == SyncthingInit.PasswordVariable).ValueFrom.SecretKeyRef.Name);
        // Only the init container has it; the GUI container never sees the key.
        Assert.DoesNotContain(pod.Containers.SelectMany(c => c.Env ?? []), e => e.ValueFrom?.SecretKeyRef?.Key == AppHostModel.SyncthingIdentityParameter);
    }

    [Fact]
    public async Task An_identity_parameter_that_is_no_pair_fails_publish_in_one_message_naming_it_and_writes_nothing()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var one = SyncthingIdentity.Generate(TimeProvider.System);
        var other = SyncthingIdentity.Generate(TimeProvider.System);

        var result = await Publisher.PublishToExitAsync(output, Publisher.ExampleRepository, $"--Parameters:{AppHostModel.SyncthingIdentityParameter}={one.CertificatePem}{other.KeyPem}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The {AppHostModel.SyncthingIdentityParameter} parameter holds a certificate and a key that do not belong together", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(other.KeyPem.Split('\n')[1], result.Output + result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }
}
