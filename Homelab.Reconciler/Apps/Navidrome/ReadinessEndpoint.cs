using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Homelab.Reconciler.Apps.Navidrome;

/// <summary>
/// A few lines of HTTP over a socket, enough for the kubelet's httpGet probes: <c>GET /ready</c> is 503
/// until <see cref="MarkReady"/>, then 200; <c>GET /alive</c> is always 200. No web host: the sidecar stays
/// a small console process. It answers nothing else and reads at most one small request per connection.
/// </summary>
internal sealed class ReadinessEndpoint : IAsyncDisposable
{
    private const int MaxRequestBytes = 4096;
    private const int MaxConnections = 16;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _connections = new(MaxConnections);
    private readonly Task _accepting;
    private volatile bool _ready;

    private ReadinessEndpoint(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on every interface; a port in use is an error value, not an exception.</summary>
    public static ReadinessEndpoint? TryStart(int port, out string? error)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            error = $"cannot listen on port {port}: {ex.Message}";
            return null;
        }

        error = null;
        return new ReadinessEndpoint(listener);
    }

    public void MarkReady() => _ready = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
        _connections.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // Beyond the cap a connection is closed at once: a flood cannot pile up tasks.
            if (!_connections.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        try
        {
            using (client)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(ReadTimeout);
                var stream = client.GetStream();
                var requestLine = await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false);
                var (status, body) = Route(requestLine);
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
                await stream.WriteAsync(response, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up or was too slow: nothing to answer.
        }
        finally
        {
            try
            {
                _connections.Release();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private (string Status, string Body) Route(string? requestLine)
    {
        var parts = requestLine?.Split(' ') ?? [];
        if (parts.Length < 2 || parts[0] != "GET")
        {
            return ("400 Bad Request", "bad request\n");
        }

        return parts[1] switch
        {
            Homelab.Defaults.ProbePaths.Ready => _ready ? ("200 OK", "ready\n") : ("503 Service Unavailable", "waiting for Navidrome's first admin\n"),
            Homelab.Defaults.ProbePaths.Alive => ("200 OK", "alive\n"),
            _ => ("404 Not Found", "not found\n"),
        };
    }

    /// <summary>Reads until the end of the request head (bounded), returns its first line.</summary>
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer, 0, length);
        var end = head.IndexOf("\r\n", StringComparison.Ordinal);
        return end < 0 ? null : head[..end];
    }
}
