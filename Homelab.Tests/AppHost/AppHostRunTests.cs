using System.Net;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Homelab.Tests.AppHost;

/// <summary>
/// Runs the real AppHost on podman: Syncthing from the local image, the reconciler as a process,
/// and Navidrome, whose image cannot be had here.
/// </summary>
[Collection(AppHostRunCollection.Name)]
public sealed class AppHostRunTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [PodmanFact]
    public async Task Syncthing_and_reconciler_become_healthy_while_navidrome_without_its_image_fails_alone()
    {
        var run = LocalRun.OnPodman();
        var apiKey = RandomNumberGenerator.GetHexString(32);
        var guiPassword = RandomNumberGenerator.GetHexString(24);
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "absent");
        await using var builder = await AppHostModel.BuildAsync(run.Settings(
            0,
            $"Parameters:syncthing-api-key={apiKey}",
            $"Parameters:syncthing-gui-password={guiPassword}",
            "Homelab:Navidrome:Port=14533",
            $"Homelab:Reconciler:Kubeconfig={kubeconfig}"));

        await using var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();

            await notifications.WaitForResourceHealthyAsync("syncthing", timeout.Token);
            await notifications.WaitForResourceHealthyAsync("reconciler", timeout.Token);
            var navidrome = await notifications.WaitForResourceAsync("navidrome", e => e.Snapshot.State?.Text == KnownResourceStates.FailedToStart, timeout.Token);
            Assert.Equal(KnownResourceStates.FailedToStart, navidrome.Snapshot.State?.Text);

            // Syncthing's REST API answers with the key, refuses without it or with another.
            using var http = new HttpClient { BaseAddress = app.GetEndpoint("syncthing", "gui") };
            Assert.Equal(HttpStatusCode.OK, await PingAsync(http, apiKey));
            Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(http, null));
            Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(http, RandomNumberGenerator.GetHexString(32)));
            // The GUI itself asks for the user and password set by the init step, and takes exactly those.
            using var gui = await http.GetAsync(new Uri("/", UriKind.Relative), timeout.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, gui.StatusCode);
            // (The wrong password first: a success sets a session cookie that the client would send after.)
            Assert.Equal(HttpStatusCode.Unauthorized, await GuiAsync(http, SyncthingResource.GuiUser, guiPassword + "x"));
            Assert.Equal(HttpStatusCode.OK, await GuiAsync(http, SyncthingResource.GuiUser, guiPassword));

            // The password was never an argument: not in any container podman knows of.
            var inspected = LocalRun.ContainerCommandLines();
            Assert.Contains("syncthing-init", inspected, StringComparison.Ordinal);
            Assert.DoesNotContain(guiPassword, inspected, StringComparison.Ordinal);

            // Still running after Navidrome failed.
            var syncthing = await notifications.WaitForResourceAsync("syncthing", e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
            Assert.Equal(KnownResourceStates.Running, syncthing.Snapshot.State?.Text);
        }
        finally
        {
            await run.StopAsync(app, "syncthing-config", "navidrome-data");
        }
    }

    [Fact]
    public async Task The_reconciler_process_gets_the_apphosts_environment_so_it_finds_the_users_kubeconfig_itself()
    {
        // A variable of this process only: DCP must hand it on, as it does KUBECONFIG and HOME.
        const string probe = "HOMELAB_TEST_AMBIENT";
        var value = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(probe, value);
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "absent");
        await using var builder = await AppHostModel.BuildAsync(
            "Homelab:Navidrome:Enabled=false",
            "Homelab:Syncthing:Enabled=false",
            $"Homelab:Reconciler:Kubeconfig={kubeconfig}");
        await using var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            var running = await app.Services.GetRequiredService<ResourceNotificationService>()
                .WaitForResourceAsync("reconciler", e => e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e.Snapshot) is not null, timeout.Token);

            var environment = (await File.ReadAllTextAsync($"/proc/{Pid(running.Snapshot)}/environ", timeout.Token)).Split('\0');

            Assert.Contains($"{probe}={value}", environment);
            Assert.Contains($"HOME={Environment.GetEnvironmentVariable("HOME")}", environment);
        }
        finally
        {
            await app.StopAsync();
            Environment.SetEnvironmentVariable(probe, null);
        }
    }

    /// <summary>The process DCP started for a project or executable.</summary>
    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid && int.TryParse(pid.ToString(), out var id) ? id : null;

    private static async Task<HttpStatusCode> GuiAsync(HttpClient http, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> PingAsync(HttpClient http, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rest/system/ping");
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
