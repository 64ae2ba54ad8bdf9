namespace Homelab.AppHost.Syncthing;

/// <summary>Syncthing: keeps the user's notes folder in sync with their other devices.</summary>
/// <param name="name">The resource name.</param>
/// <param name="guiPassword">Password of the GUI user.</param>
/// <param name="apiKey">REST API key (also what the health check sends).</param>
/// <param name="identity">Certificate and key, whose hash is the device ID (<see cref="SyncthingIdentity"/>).</param>
internal sealed class SyncthingResource(string name, ParameterResource guiPassword, ParameterResource apiKey, ParameterResource identity) : ContainerResource(name)
{
    public const int GuiPort = 8384;
    public const int SyncPort = 22000;
    public const int DiscoveryPort = 21027;

    public const string GuiEndpointName = "gui";
    public const string SyncTcpEndpointName = "sync-tcp";
    public const string SyncUdpEndpointName = "sync-udp";
    public const string DiscoveryEndpointName = "discovery";

    /// <summary>Syncthing's home in the official image.</summary>
    public const string HomePath = "/var/syncthing";

    /// <summary>Config, keys and database (a named volume).</summary>
    public const string ConfigPath = "/var/syncthing/config";

    /// <summary>Where the notes folder is mounted, read-write.</summary>
    public const string NotesPath = "/var/syncthing/Obsidian";

    /// <summary>The GUI user.</summary>
    public const string GuiUser = "homelab";

    /// <summary>Answers on every version with the API key (<c>/rest/noauth/health</c> needs 1.22+).</summary>
    public const string PingPath = "/rest/system/ping";

    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>The dashboard property showing the device ID.</summary>
    public const string DeviceIdProperty = "syncthing.device-id";

    public ParameterResource GuiPassword { get; } = guiPassword;

    public ParameterResource ApiKey { get; } = apiKey;

    public ParameterResource Identity { get; } = identity;

    public EndpointReference GuiEndpoint => field ??= new EndpointReference(this, GuiEndpointName);
}
