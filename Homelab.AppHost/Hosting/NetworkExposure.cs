using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;

namespace Homelab.AppHost.Hosting;

/// <summary>
/// Where the apps' fixed ports listen on the host. Localhost by default; all interfaces when the
/// user wants devices on their Tailscale network (or LAN) to reach them, as the original setup did.
/// </summary>
internal static class NetworkExposure
{
    /// <summary>Configuration key: <c>Homelab:ListenOnAllInterfaces</c>.</summary>
    public const string SettingKey = "Homelab:ListenOnAllInterfaces";

    public const string Localhost = "127.0.0.1";
    public const string AllInterfaces = "0.0.0.0";

    /// <summary>
    /// Publishes the container port on a fixed host port, unproxied (a stable port the user can
    /// bookmark, and UDP, which Aspire's proxy does not carry), on the chosen address.
    /// </summary>
    public static IResourceBuilder<T> WithFixedEndpoint<T>(
        this IResourceBuilder<T> builder,
        string name,
        int port,
        int targetPort,
        string scheme,
        ProtocolType protocol,
        bool allInterfaces)
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithEndpoint(name, endpoint =>
        {
            endpoint.Port = port;
            endpoint.TargetPort = targetPort;
            endpoint.UriScheme = scheme;
            endpoint.Protocol = protocol;
            endpoint.Transport = protocol == ProtocolType.Udp ? "udp" : scheme;
            endpoint.IsProxied = false;
            endpoint.TargetHost = allInterfaces ? AllInterfaces : Localhost;
        });
    }
}
