namespace Homelab.Navidrome;

/// <summary>The parts of Navidrome's HTTP API Homelab uses (Navidrome 0.58).</summary>
public static class NavidromeApi
{
    /// <summary>Health, no authentication.</summary>
    public const string PingPath = "/ping";

    /// <summary>Creates the first admin from <c>{"username","password"}</c>; only while no user exists, 403 after.</summary>
    public const string CreateAdminPath = "/auth/createAdmin";

    /// <summary>The first admin's user name, locally and in the cluster.</summary>
    public const string DefaultAdminUser = "admin";
}
