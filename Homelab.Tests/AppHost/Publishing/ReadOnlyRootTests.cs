using System.Security.Cryptography;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// The published Syncthing pod's containers started under podman exactly as published (read-only root,
/// uid 1000, no capabilities, /tmp an emptyDir, claims as folders owned by that uid, as the node commands
/// say), with Debian's Syncthing 1.19.2 standing in for the official image, which cannot be pulled here.
/// </summary>
public sealed class ReadOnlyRootTests
{
    [PodmanFact]
    public async Task Syncthing_and_its_init_run_as_published_with_a_read_only_root_StandIn()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var pod = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "syncthing").Spec.Template.Spec;
        var uid = $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}";
        var claims = pod.Volumes.Where(v => v.PersistentVolumeClaim is not null).ToDictionary(v => v.PersistentVolumeClaim.ClaimName, _ => Directory.CreateTempSubdirectory("homelab-claim-").FullName);
        foreach (var folder in claims.Values)
        {
            await ProcessRunner.RunAsync("chown", ["-R", uid, folder]);
        }

        var apiKey = RandomNumberGenerator.GetHexString(32);
        var secrets = new Dictionary<string, string> { ["syncthing-api-key"] = apiKey, ["syncthing-gui-password"] = RandomNumberGenerator.GetHexString(24) };
        var image = $"{Podman.SyncthingImage}:{Podman.SyncthingTag}";
        var name = $"homelab-test-{Guid.NewGuid():N}";
        var port = LoopbackPort.Unused();

        var init = Podman.Run(["run", "--rm", .. PublishedContainer.PodmanArguments(pod, Assert.Single(pod.InitContainers), image, claims, secrets)]);
        Assert.True(init.ExitCode == 0, init.Output);
        var started = Podman.Run(["run", "-d", "--name", name, "-p", $"127.0.0.1:{port}:{SyncthingResource.GuiPort}", .. PublishedContainer.PodmanArguments(pod, pod.Containers[0], image, claims, secrets)]);
        try
        {
            Assert.True(started.ExitCode == 0, started.Output);
            Assert.True(pod.Containers[0].SecurityContext.ReadOnlyRootFilesystem);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Add(SyncthingResource.ApiKeyHeader, apiKey);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!await AnswersAsync(http))
            {
                Assert.True(DateTime.UtcNow < deadline, "Syncthing did not answer within 60 s: " + Podman.Run("logs", name).Output);
                await Task.Delay(500);
            }

            // It wrote where the published volumes are, as the pod's user, and nowhere it could not.
            var configVolume = pod.Containers[0].VolumeMounts.Single(m => m.MountPath == SyncthingResource.ConfigPath).Name;
            var config = claims[pod.Volumes.Single(v => v.Name == configVolume).PersistentVolumeClaim.ClaimName];
            Assert.True(File.Exists(Path.Combine(config, "config.xml")));
            Assert.Equal(pod.SecurityContext.RunAsUser?.ToString(System.Globalization.CultureInfo.InvariantCulture), (await ProcessRunner.RunAsync("stat", ["-c", "%u", Path.Combine(config, "config.xml")])).Trim());
            Assert.DoesNotContain("read-only file system", Podman.Run("logs", name).Output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Podman.Run("rm", "-f", name);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(SyncthingResource.PingPath, UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
