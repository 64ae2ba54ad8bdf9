using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Homelab.Tests.AppHost.Syncthing;

/// <summary>
/// The real AppHost on podman with the local Syncthing image: Syncthing runs with the identity the AppHost
/// generated, says so itself (<c>/rest/system/status</c> myID), and the dashboard shows that device ID.
/// </summary>
[Collection(AppHostRunCollection.Name)]
public sealed class SyncthingIdentityRunTests
{
    [PodmanFact]
    public async Task Syncthing_runs_as_the_device_the_identity_parameter_names_and_the_dashboard_shows_its_id()
    {
        var run = LocalRun.OnPodman();
        var identity = SyncthingIdentity.Generate(TimeProvider.System);
        var apiKey = RandomNumberGenerator.GetHexString(32);
        await using var builder = await AppHostModel.BuildAsync(run.Settings(
            2,
            $"Parameters:syncthing-api-key={apiKey}",
            $"Parameters:{AppHostModel.SyncthingIdentityParameter}={identity.Value}",
            "Homelab:Navidrome:Enabled=false",
            "Homelab:Reconciler:Enabled=false"));
        await using var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await app.StartAsync(timeout.Token);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.WaitForResourceHealthyAsync("syncthing", timeout.Token);

            using var http = new HttpClient { BaseAddress = app.GetEndpoint("syncthing", "gui") };
            http.DefaultRequestHeaders.Add(SyncthingResource.ApiKeyHeader, apiKey);
            var status = await http.GetFromJsonAsync<JsonObject>(new Uri("/rest/system/status", UriKind.Relative), timeout.Token);
            var shown = await notifications.WaitForResourceAsync("syncthing", e => e.Snapshot.Properties.Any(p => p.Name == SyncthingResource.DeviceIdProperty), timeout.Token);

            Assert.Equal(identity.DeviceId, (string?)status?["myID"]);
            Assert.Equal(identity.DeviceId, shown.Snapshot.Properties.Single(p => p.Name == SyncthingResource.DeviceIdProperty).Value?.ToString());
            // The pair went through the environment, never an argument of any container.
            var inspected = LocalRun.ContainerCommandLines();
            Assert.Contains("syncthing-init", inspected, StringComparison.Ordinal);
            Assert.DoesNotContain(identity.KeyPem.Split('\n')[1], inspected, StringComparison.Ordinal);
        }
        finally
        {
            await run.StopAsync(app, "syncthing-config");
        }
    }
}
