namespace Homelab.AppHost.Navidrome;

/// <summary>The Navidrome music server: serves the user's music folder on port 4533.</summary>
/// <param name="name">The resource name.</param>
/// <param name="adminPassword">The first admin's password, created once Navidrome is up.</param>
internal sealed class NavidromeResource(string name, ParameterResource adminPassword) : ContainerResource(name)
{
    /// <summary>Container port of the web UI and Subsonic API.</summary>
    public const int HttpPort = 4533;

    /// <summary>Name of the HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>Where the music folder is mounted, read-only.</summary>
    public const string MusicPath = "/music";

    /// <summary>Navidrome's database and cache.</summary>
    public const string DataPath = "/data";

    /// <summary>Health endpoint (no authentication).</summary>
    public const string HealthPath = Homelab.Navidrome.NavidromeApi.PingPath;

    /// <summary>The first admin's user name.</summary>
    public const string AdminUser = Homelab.Navidrome.NavidromeApi.DefaultAdminUser;

    public ParameterResource AdminPassword { get; } = adminPassword;

    public EndpointReference HttpEndpoint => field ??= new EndpointReference(this, HttpEndpointName);
}
