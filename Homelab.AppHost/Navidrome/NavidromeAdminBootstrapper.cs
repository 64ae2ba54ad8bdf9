using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Navidrome;

/// <summary>
/// Creates Navidrome's first admin with the secret password once Navidrome is up, so the
/// instance is never left open to whoever reaches it first and never runs with a default password.
/// </summary>
internal sealed class NavidromeAdminBootstrapper(IHttpClientFactory httpClientFactory, ILogger<NavidromeAdminBootstrapper> logger)
{
    public const string HttpClientName = "navidrome-admin";

    /// <summary>
    /// POSTs <c>/auth/createAdmin</c>. Navidrome accepts it only while no user exists, so a
    /// second run (or a user who already set up the server) is left alone. The password is never logged.
    /// </summary>
    public async Task<FirstAdminResult> CreateFirstAdminAsync(NavidromeResource navidrome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(navidrome);
        var password = await navidrome.AdminPassword.GetValueAsync(cancellationToken).ConfigureAwait(false);
        var baseUrl = new Uri(navidrome.HttpEndpoint.Url);
        return await CreateFirstAdminAsync(baseUrl, NavidromeResource.AdminUser, password ?? string.Empty, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<FirstAdminResult> CreateFirstAdminAsync(Uri baseUrl, string user, string password, CancellationToken cancellationToken)
    {
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.PostAsJsonAsync(
            new Uri(baseUrl, "/auth/createAdmin"),
            new { username = user, password },
            cancellationToken).ConfigureAwait(false);

        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                logger.LogInformation("Created Navidrome's first admin {User} with the navidrome-admin-password parameter", user);
                return FirstAdminResult.Created;
            case HttpStatusCode.Forbidden:
                logger.LogInformation("Navidrome already has users; its admin was left as it is");
                return FirstAdminResult.AlreadyExists;
            default:
                logger.LogWarning("Navidrome refused to create its first admin: HTTP {Status}", (int)response.StatusCode);
                return FirstAdminResult.Failed;
        }
    }
}
