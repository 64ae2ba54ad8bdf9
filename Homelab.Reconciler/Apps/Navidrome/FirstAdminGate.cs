using Homelab.Navidrome;

namespace Homelab.Reconciler.Apps.Navidrome;

/// <summary>
/// The <c>navidrome-first-admin</c> sidecar: waits for Navidrome's <c>/ping</c>, creates the first admin
/// with the Secret's credentials, and only then reports ready. Its pod is unready (out of the Service)
/// until then, so nobody else can be first (see the publisher's FirstAdminSidecar). Retries until the admin
/// exists; never ready without one. Logs one line per change of state, never the password.
/// </summary>
internal sealed class FirstAdminGate(FirstAdminClient client, FirstAdminGateOptions options, TextWriter log)
{
    /// <summary>Serves readiness from <paramref name="readiness"/> and runs until cancelled (SIGTERM).</summary>
    public async Task RunAsync(ReadinessEndpoint readiness, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        var outcome = await EnsureAdminAsync(cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            return;
        }

        readiness.MarkReady();
        await log.WriteLineAsync($"{outcome.Message}; ready").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The outcome once an admin exists, or null when cancelled first.</summary>
    private async Task<FirstAdminOutcome?> EnsureAdminAsync(CancellationToken cancellationToken)
    {
        string? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var outcome = await client.IsUpAsync(options.Navidrome, cancellationToken).ConfigureAwait(false)
                    ? await client.CreateAsync(options.Navidrome, options.User, options.Password, cancellationToken).ConfigureAwait(false)
                    : FirstAdminOutcome.Unreachable($"{options.Navidrome} is not up yet ({NavidromeApi.PingPath})");
                if (outcome.AdminExists)
                {
                    return outcome;
                }

                if (outcome.Message != last)
                {
                    await log.WriteLineAsync($"{outcome.Message}; retrying every {options.RetryDelay:c}").ConfigureAwait(false);
                    last = outcome.Message;
                }

                await Task.Delay(options.RetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return null;
    }
}
