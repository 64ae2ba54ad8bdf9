using System.Net;
using System.Net.Sockets;

namespace Homelab.Tests.Infrastructure;

/// <summary>Loopback ports for tests: one nobody listens on, or a listener that never answers.</summary>
internal static class LoopbackPort
{
    /// <summary>A port nobody listens on: bound by the OS, then released.</summary>
    public static int Unused()
    {
        using var listener = Silent();
        return Of(listener);
    }

    /// <summary>
    /// A started listener on a port the OS picks, never accepted from: the kernel completes the handshake,
    /// then silence. Stopping it resets the connections.
    /// </summary>
    public static TcpListener Silent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    /// <summary>The port a listener is bound to.</summary>
    public static int Of(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
