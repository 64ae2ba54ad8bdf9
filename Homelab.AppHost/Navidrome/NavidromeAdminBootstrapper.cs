using Homelab.Navidrome;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Navidrome;

/// <summary>
/// Creates Navidrome's first admin with the secret password once Navidrome is up (locally, in run mode),
/// so the instance is never left open to whoever reaches it first and never runs with a default password.
/// The cluster does the same with the reconciler's <c>navidrome-first-admin</c> sidecar; both use <see cref="FirstAdminClient"/>.
/// </summary>
internal sealed class NavidromeAdminBootstrapper(IHttpClientFactory httpClientFactory, ILogger<NavidromeAdminBootstrapper> logger)
{
    public const string HttpClientName = "navidrome-admin";

    /// <summary>Runs once Navidrome is healthy; a second run (or a user who already set up the server) changes nothing.</summary>
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
        var outcome = await new FirstAdminClient(client).CreateAsync(baseUrl, user, password, cancellationToken).ConfigureAwait(false);
        if (outcome.AdminExists)
        {
            logger.LogInformation("{Outcome}", outcome.Message);
        }
        else
        {
            logger.LogWarning("{Outcome}", outcome.Message);
        }

        return outcome.Result;
    }
}
