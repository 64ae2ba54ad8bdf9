using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Turns off everything in Syncthing that talks to the internet (global discovery, relays, NAT
/// traversal, usage and crash reporting, upgrades) through its REST API, for machines that must
/// stay off the internet (tests, air-gapped homelabs). Devices then connect by address, e.g. over Tailscale.
/// </summary>
internal sealed class SyncthingLocalOnlyConfigurator(IHttpClientFactory httpClientFactory, ILogger<SyncthingLocalOnlyConfigurator> logger)
{
    /// <summary>The options PATCHed to <c>/rest/config/options</c> (Syncthing 1.12+).</summary>
    internal static readonly IReadOnlyDictionary<string, object> Options = new Dictionary<string, object>
    {
        ["globalAnnounceEnabled"] = false,
        ["relaysEnabled"] = false,
        ["natEnabled"] = false,
        ["urAccepted"] = -1,
        ["crashReportingEnabled"] = false,
        ["autoUpgradeIntervalH"] = 0,
    };

    public async Task ApplyAsync(SyncthingResource syncthing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(syncthing);
        var apiKey = await syncthing.ApiKey.GetValueAsync(cancellationToken).ConfigureAwait(false);
        using var client = httpClientFactory.CreateClient(SyncthingPingHealthCheck.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(new Uri(syncthing.GuiEndpoint.Url), "/rest/config/options"))
        {
            Content = JsonContent.Create(Options),
        };
        request.Headers.Add(SyncthingResource.ApiKeyHeader, apiKey);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            logger.LogInformation("Syncthing is local-only: global discovery, relays, NAT, reporting and upgrades are off");
        }
        else
        {
            logger.LogWarning("Syncthing refused the local-only options: HTTP {Status}", (int)response.StatusCode);
        }
    }
}
