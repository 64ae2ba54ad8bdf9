using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Healthy when <c>GET /rest/system/ping</c> with the API key answers 200: proves the GUI is up
/// and that the key the AppHost holds is the one Syncthing uses.
/// </summary>
internal sealed class SyncthingPingHealthCheck(SyncthingResource syncthing, IHttpClientFactory httpClientFactory) : IHealthCheck
{
    public const string HttpClientName = "syncthing-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var apiKey = await syncthing.ApiKey.GetValueAsync(cancellationToken).ConfigureAwait(false);
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(syncthing.GuiEndpoint.Url), SyncthingResource.PingPath));
            request.Headers.Add(SyncthingResource.ApiKeyHeader, apiKey);
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{SyncthingResource.PingPath} answered HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy($"{SyncthingResource.PingPath} unreachable: {ex.Message}");
        }
    }
}
