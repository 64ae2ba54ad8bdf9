namespace Homelab.AppHost.Hosting;

/// <summary>
/// How secret parameters are generated when the user sets none: random, kept in the AppHost's
/// user secrets so they stay stable across runs. There is no default password.
/// </summary>
internal static class Secrets
{
    /// <summary>24 characters, letters and digits (no symbols: they break shells and URLs).</summary>
    public static GenerateParameterDefault Password() => new() { MinLength = 24, Special = false };

    /// <summary>32 letters and digits, the shape of Syncthing's own API keys.</summary>
    public static GenerateParameterDefault ApiKey() => new() { MinLength = 32, Special = false };

    /// <summary>Syncthing's certificate and key (its device ID), made together as Syncthing makes them.</summary>
    public static ParameterDefault SyncthingIdentity() => new Syncthing.SyncthingIdentityDefault(TimeProvider.System);
}
