using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Bootstrapping;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// A change to the reconciler's own Deployment that leaves it unable to fetch or apply is recovered by
/// running `bootstrap` from a fixed checkout: what bootstrap applies (homelab-system alone, without the
/// root kustomization's patches) holds everything the reconciler's pod needs, and nothing in the
/// Deployment keeps the broken pod in place.
/// </summary>
public sealed class ReconcilerRecoveryTests
{
    [Fact]
    public async Task Bootstrap_alone_brings_back_everything_the_reconciler_pod_needs_and_replaces_the_old_pod()
    {
        var repository = Directory.CreateTempSubdirectory("homelab-repository-").FullName;
        var output = Path.Combine(repository, "clusters", "lab");
        using var ca = new TestCertificateAuthority();

        // The settings that add dependencies: a private CA and host storage.
        await Publisher.PublishAsync(output, $"--Homelab:Publish:GitCaFile={ca.PemFile}", "--Homelab:Publish:Storage=host", "--Homelab:Publish:Profile=generic", "--Homelab:Publish:MusicFolder=/srv/music", "--Homelab:Publish:NotesFolder=/srv/notes");
        var objects = Homelab.Reconciler.Bootstrapping.Bootstrap.Plan(repository, "clusters/lab", BootstrapTests.WriteSecrets(AppHostModel.SecretParameters.ToDictionary(p => p, _ => Guid.NewGuid().ToString("N")))).All;

        var deployment = Single(objects, "Deployment", "homelab-reconciler");
        var spec = deployment["spec"]!;
        // The old pod goes before the new one starts (one process per state directory), and nothing holds a rollout.
        Assert.Equal("Recreate", (string?)spec["strategy"]!["type"]);
        Assert.NotEqual(true, (bool?)spec["paused"]);
        Assert.Equal(1L, (long?)spec["replicas"]);

        var pod = spec["template"]!["spec"]!;
        var account = (string)pod["serviceAccountName"]!;
        Single(objects, "ServiceAccount", account);
        Assert.Contains(objects, o => (string?)o["kind"] == "ClusterRoleBinding" && o["subjects"]!.AsArray().Any(s => (string?)s!["name"] == account));
        foreach (var volume in pod["volumes"]!.AsArray())
        {
            if (volume!["persistentVolumeClaim"]?["claimName"] is { } claim)
            {
                var volumeName = (string)Single(objects, "PersistentVolumeClaim", (string)claim!)["spec"]!["volumeName"]!;
                Single(objects, "PersistentVolume", volumeName);
            }
            else if (volume["configMap"]?["name"] is { } map)
            {
                Single(objects, "ConfigMap", (string)map!);
            }
            else if (volume["secret"] is { } secret)
            {
                // The age key (homelab-age-key): optional, so the pod starts before bootstrap --age-key-file made it.
                Assert.True((bool?)secret["optional"]);
            }
            else
            {
                Assert.NotNull(volume["emptyDir"]);
            }
        }

        foreach (var reference in pod["containers"]!.AsArray().SelectMany(c => c!["env"]!.AsArray()).Select(e => e!["valueFrom"]?["secretKeyRef"]).Where(r => r is not null && (bool?)r["optional"] != true))
        {
            Assert.NotNull(Single(objects, "Secret", (string)reference!["name"]!)["stringData"]![(string)reference["key"]!]);
        }
    }

    private static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        Assert.Single(objects, o => (string?)o["kind"] == kind && (string?)o["metadata"]!["name"] == name);
}
