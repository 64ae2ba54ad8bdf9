using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Backups;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Homelab.Tests.AppHost.Backups;

/// <summary>
/// "Back up now" in the running AppHost on podman: the dashboard's command, invoked as the dashboard
/// invokes it, snapshots Syncthing's config through the running sidecar, and says that Navidrome (whose
/// image cannot be had here) was not running rather than failing everything.
/// </summary>
[Collection(AppHostRunCollection.Name)]
public sealed class BackUpNowTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [PodmanFact]
    public async Task Back_up_now_snapshots_syncthing_through_its_sidecar_and_names_navidrome_as_not_running()
    {
        var run = LocalRun.OnPodman();
        var folder = Path.Combine(Directory.CreateTempSubdirectory("homelab-backups-").FullName, "absent");
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "absent");
        await using var builder = await AppHostModel.BuildAsync(run.Settings(
            0,
            $"Parameters:syncthing-api-key={RandomNumberGenerator.GetHexString(32)}",
            $"Homelab:Backup:Folder={folder}",
            "Homelab:Navidrome:Port=14533",
            "Homelab:Reconciler:Enabled=false",
            $"Homelab:Reconciler:Kubeconfig={kubeconfig}"));

        await using var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.WaitForResourceHealthyAsync("syncthing", timeout.Token);
            var sidecar = await notifications.WaitForResourceAsync("syncthing-backup", e => e.Snapshot.State?.Text is "Running" or "FailedToStart", timeout.Token);
            Assert.True(sidecar.Snapshot.State?.Text == KnownResourceStates.Running, await LogsAsync(app.Services, "syncthing-backup"));
            await notifications.WaitForResourceAsync("navidrome", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
            // The folders the bind mounts need were made at start.
            Assert.True(Directory.Exists(Path.Combine(folder, "navidrome")));

            var syncthing = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "syncthing");
            var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(syncthing, BackUpNow.CommandName, timeout.Token);

            Assert.False(result.Success);
            Assert.Equal("backed up syncthing-backup; failed: navidrome: not running", result.Message);
            var snapshot = Assert.Single(Directory.EnumerateDirectories(Path.Combine(folder, "syncthing")));
            Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", Path.GetFileName(snapshot));
            // The identity and the config, and the GUI's own HTTPS pair, which Syncthing writes at its first start.
            Assert.Equal(["cert.pem", "config.xml", "https-cert.pem", "https-key.pem", "key.pem"], Directory.EnumerateFiles(snapshot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Contains("<gui ", await File.ReadAllTextAsync(Path.Combine(snapshot, "config.xml"), timeout.Token), StringComparison.Ordinal);
        }
        finally
        {
            await run.StopAsync(app, "syncthing-config", "navidrome-data");
        }
    }

    /// <summary>What the orchestrator said about a resource, for a failure's message.</summary>
    private static async Task<string> LogsAsync(IServiceProvider services, string name)
    {
        var lines = new List<string>();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var batch in services.GetRequiredService<ResourceLoggerService>().WatchAsync(name).WithCancellation(wait.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return string.Join('\n', lines);
    }
}
