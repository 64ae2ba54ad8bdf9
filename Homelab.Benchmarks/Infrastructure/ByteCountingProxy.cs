using System.Net;
using System.Net.Sockets;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>
/// A loopback TCP relay that counts the bytes each way and the connections made: what a Git
/// remote really sends and receives, whatever the client library reports.
/// </summary>
internal sealed class ByteCountingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private long _toServer;
    private long _toClient;
    private long _connections;

    public ByteCountingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public (long ToServer, long ToClient, long Connections) Snapshot() =>
        (Interlocked.Read(ref _toServer), Interlocked.Read(ref _toClient), Interlocked.Read(ref _connections));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var up = CopyAsync(client.GetStream(), server, isUpstream: true);
                var down = CopyAsync(server.GetStream(), client, isUpstream: false);
                await Task.WhenAll(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A closed connection ends the relay.
            }
        }
    }

    private async Task CopyAsync(NetworkStream from, TcpClient to, bool isUpstream)
    {
        var buffer = new byte[16384];
        var stream = to.GetStream();
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            Interlocked.Add(ref isUpstream ? ref _toServer : ref _toClient, read);
            await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }

        to.Client.Shutdown(SocketShutdown.Send);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
