using System.Text.Json;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>Reads a running reconciler's <c>GET /status</c>.</summary>
internal sealed class StatusPoller(HttpClient http)
{
    public async Task<(DateTimeOffset? LastReconcileAt, string? Attempted, bool Ready, string Message)> ReadAsync()
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/status", UriKind.Relative)));
        var root = document.RootElement;
        DateTimeOffset? at = root.TryGetProperty("lastReconcileAt", out var a) && a.ValueKind == JsonValueKind.String ? a.GetDateTimeOffset() : null;
        var attempted = root.TryGetProperty("lastAttemptedRevision", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var ready = root.TryGetProperty("ready", out var ok) && ok.ValueKind == JsonValueKind.True;
        var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        return (at, attempted, ready, message);
    }

    /// <summary>Waits until a cycle that ended after <paramref name="after"/> (and, if given, attempted <paramref name="commit"/>) is recorded.</summary>
    public async Task WaitForCycleAsync(DateTimeOffset after, string? commit, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await ReadAsync();
                if (status.LastReconcileAt > after && (commit is null || status.Attempted?.EndsWith(commit, StringComparison.Ordinal) == true))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no reconcile finished after {after:O}{(commit is null ? string.Empty : $" for {commit}")} within {timeout.TotalSeconds:0} s");
    }
}
