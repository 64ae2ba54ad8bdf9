using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// The Authorization header of every request: a fixed bearer token or basic credentials, a token file
/// re-read once a minute (service-account tokens rotate), or a kubeconfig exec plugin whose token is
/// reused until it expires.
/// </summary>
public sealed class ClusterCredentials
{
    private static readonly TimeSpan FileRefresh = TimeSpan.FromMinutes(1);
    private readonly Func<CancellationToken, Task<(string Token, DateTimeOffset Until)>>? _refresh;
    private AuthenticationHeaderValue? _header;
    private DateTimeOffset _until = DateTimeOffset.MaxValue;
    private Task? _refreshing;

    private ClusterCredentials(AuthenticationHeaderValue? header, Func<CancellationToken, Task<(string, DateTimeOffset)>>? refresh)
    {
        _header = header;
        _refresh = refresh;
        if (refresh is not null)
        {
            _until = DateTimeOffset.MinValue;
        }
    }

    public static ClusterCredentials Token(string token) => new(new AuthenticationHeaderValue("Bearer", token), null);

    public static ClusterCredentials Basic(string user, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))), null);

    public static ClusterCredentials TokenFile(string path) =>
        new(null, async cancellationToken => ((await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim(), DateTimeOffset.UtcNow + FileRefresh));

    /// <summary>A client-go credential plugin: the command prints an ExecCredential whose status holds the token.</summary>
    public static ClusterCredentials Exec(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory) =>
        new(null, cancellationToken => RunPluginAsync(command, arguments, environment, workingDirectory, cancellationToken));

    /// <summary>Sets the request's Authorization header, refreshing the token first when it is due.</summary>
    public async Task ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_refresh is not null && DateTimeOffset.UtcNow >= _until)
        {
            // Concurrent requests share one refresh (one plugin run), then all read its header.
            var refreshing = Volatile.Read(ref _refreshing);
            if (refreshing is null)
            {
                var mine = RefreshAsync(_refresh, cancellationToken);
                refreshing = Interlocked.CompareExchange(ref _refreshing, mine, null) ?? mine;
            }

            try
            {
                await refreshing.ConfigureAwait(false);
            }
            finally
            {
                _ = Interlocked.CompareExchange(ref _refreshing, null, refreshing);
            }
        }

        request.Headers.Authorization = _header;
    }

    private async Task RefreshAsync(Func<CancellationToken, Task<(string Token, DateTimeOffset Until)>> refresh, CancellationToken cancellationToken)
    {
        var (token, until) = await refresh(cancellationToken).ConfigureAwait(false);
        _header = new AuthenticationHeaderValue("Bearer", token);
        _until = until;
    }

    private static async Task<(string, DateTimeOffset)> RunPluginAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new KubeconfigException($"the credential plugin {command} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new KubeconfigException($"the credential plugin {command} exited with {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim().ReplaceLineEndings(" ")}");
        }

        try
        {
            using var credential = JsonDocument.Parse(await output.ConfigureAwait(false));
            var status = credential.RootElement.GetProperty("status");
            var token = status.GetProperty("token").GetString() ?? throw new KubeconfigException($"the credential plugin {command} gave no token");
            var until = status.TryGetProperty("expirationTimestamp", out var expiry) && expiry.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(expiry.GetString()!, CultureInfo.InvariantCulture)
                : DateTimeOffset.MaxValue;
            return (token, until);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KubeconfigException($"the credential plugin {command} printed no ExecCredential with a token: {ex.Message}", ex);
        }
    }
}
