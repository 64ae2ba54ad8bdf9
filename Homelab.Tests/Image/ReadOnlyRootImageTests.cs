using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homelab.Tests.AppHost.Publishing;
using Homelab.Tests.Infrastructure;
using k8s.Models;

namespace Homelab.Tests.Image;

/// <summary>
/// The reconciler image started under podman exactly as the published Deployment starts it (uid 1654,
/// read-only root, no capabilities, /tmp an emptyDir, its state claim a folder owned by that uid), with
/// no cluster (observe-only) and its Git source out of reach: the service must start, serve and never
/// need a write outside its volumes.
/// </summary>
public sealed class ReadOnlyRootImageTests(ReconcilerImageFixture image) : IClassFixture<ReconcilerImageFixture>
{
    [ImageFact]
    public async Task The_service_runs_with_the_published_read_only_root_and_writes_only_its_volumes()
    {
        var pod = (await Publisher.RenderAsync(Publisher.Committed)).OfType<V1Deployment>().Single(d => d.Metadata.Name == "homelab-reconciler").Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        var claims = pod.Volumes.Where(v => v.PersistentVolumeClaim is not null).ToDictionary(v => v.PersistentVolumeClaim.ClaimName, _ => Directory.CreateTempSubdirectory("homelab-claim-").FullName);
        foreach (var folder in claims.Values)
        {
            await ProcessRunner.RunAsync("chown", ["-R", $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}", folder]);
        }

        var secrets = new Dictionary<string, string> { ["api-token"] = RandomNumberGenerator.GetHexString(32), ["webhook-secret"] = RandomNumberGenerator.GetHexString(32), ["git-token"] = string.Empty };
        var name = $"homelab-test-{Guid.NewGuid():N}";
        var port = LoopbackPort.Unused();
        var httpPort = container.Ports.Single(p => p.Name == "http").ContainerPort;

        var started = Podman.Run(["run", "-d", "--name", name, "-p", $"127.0.0.1:{port}:{httpPort}", .. PublishedContainer.PodmanArguments(pod, container, image.Reference, claims, secrets)]);
        try
        {
            Assert.True(started.ExitCode == 0, started.Output);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await StatusAsync(http, container.LivenessProbe.HttpGet.Path) != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, "the reconciler did not answer within 60 s: " + Podman.Run("logs", name).Output);
                await Task.Delay(500);
            }

            // A cycle ran (and failed on the unreachable source) with the state on its volume.
            var cycled = await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(60), async () => JsonNode.Parse(await http.GetStringAsync(new Uri("/status", UriKind.Relative)))?["lastReconcileAt"] is not null);
            var logs = Podman.Run("logs", name).Output;
            Assert.True(cycled is not null, "no reconcile cycle ended within 60 s: " + logs);
            var stateDirectory = Assert.Single(container.Env, e => e.Name == "Reconciler__StateDirectory").Value;
            var stateVolume = Assert.Single(container.VolumeMounts, m => m.MountPath == stateDirectory).Name;
            var stateClaim = pod.Volumes.Single(v => v.Name == stateVolume).PersistentVolumeClaim.ClaimName;
            Assert.True(File.Exists(Path.Combine(claims[stateClaim], "lock")), $"no lock in the state claim {stateClaim}: " + logs);
            Assert.DoesNotContain("Read-only file system", logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("UnauthorizedAccessException", logs, StringComparison.Ordinal);
            Assert.Equal("running", Podman.Run("inspect", "--format", "{{.State.Status}}", name).Output.Trim());
        }
        finally
        {
            Podman.Run("rm", "-f", name);
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
