using System.Net;
using System.Net.Http.Json;

namespace Homelab.Navidrome;

/// <summary>
/// Asks Navidrome for its first admin. Navidrome accepts <c>/auth/createAdmin</c> only while it has no
/// user, so calling this again (or after the owner set the server up) changes nothing. Every failure is
/// an outcome, not an exception; no outcome holds the password.
/// </summary>
public sealed class FirstAdminClient(HttpClient http)
{
    /// <summary>True when <c>/ping</c> answers 2xx.</summary>
    public async Task<bool> IsUpAsync(Uri navidrome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(navidrome);
        try
        {
            using var response = await http.GetAsync(new Uri(navidrome, NavidromeApi.PingPath), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            return false;
        }
    }

    public async Task<FirstAdminOutcome> CreateAsync(Uri navidrome, string user, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(navidrome);
        try
        {
            using var response = await http.PostAsJsonAsync(
                new Uri(navidrome, NavidromeApi.CreateAdminPath),
                new AdminAccount(user, password),
                NavidromeJson.Default.AdminAccount,
                cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => FirstAdminOutcome.Created(user),
                HttpStatusCode.Forbidden => FirstAdminOutcome.AlreadyExists(),
                var status => FirstAdminOutcome.Refused((int)status),
            };
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            // The message names the address and the socket error, never the request body.
            return FirstAdminOutcome.Unreachable(ex is TaskCanceledException ? "timed out" : ex.Message);
        }
    }

    /// <summary>Connection errors and HttpClient's timeout; the caller's own cancellation still propagates.</summary>
    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
