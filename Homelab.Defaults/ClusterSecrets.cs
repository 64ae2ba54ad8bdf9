namespace Homelab.Defaults;

/// <summary>
/// The cluster's Secrets made from the AppHost's secret parameters: what <c>bootstrap</c> creates from user secrets,
/// and what publish writes SOPS-encrypted into <c>clusters/&lt;cluster&gt;/</c> when the parameters are kept encrypted.
/// </summary>
public static class ClusterSecrets
{
    /// <summary>Secret -> (namespace, keys -> AppHost parameter). The Navidrome Secret is Homelab.Navidrome's FirstAdminSecret (plus its user key).</summary>
    public static IReadOnlyList<(string Name, string Namespace, (string Key, string Parameter)[] Keys)> All { get; } =
    [
        ("homelab-reconciler", "homelab-system", [("api-token", "reconciler-api-token"), ("webhook-secret", "reconciler-webhook-secret")]),
        ("syncthing-secrets", "homelab", [("syncthing-api-key", "syncthing-api-key"), ("syncthing-gui-password", "syncthing-gui-password"), ("syncthing-identity", "syncthing-identity")]),
        // Read by Navidrome's first-admin sidecar: the pod stays out of its Service until this admin exists.
        ("navidrome-secrets", "homelab", [("navidrome-admin-password", "navidrome-admin-password")]),
    ];

    /// <summary>
    /// Parameters a user-secrets file may lack (it predates them): their key is then left out of its Secret, and the
    /// consumer falls back (Syncthing keeps its volume's identity).
    /// </summary>
    public static IReadOnlySet<string> OptionalParameters { get; } = new HashSet<string>(StringComparer.Ordinal) { "syncthing-identity" };
}
