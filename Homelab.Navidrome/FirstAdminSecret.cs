namespace Homelab.Navidrome;

/// <summary>
/// Where the cluster keeps the first admin's credentials: the Secret <c>bootstrap</c> creates and the
/// first-admin sidecar reads through <c>secretKeyRef</c>s, never in Git or on a command line.
/// </summary>
public static class FirstAdminSecret
{
    /// <summary>The Secret, in the apps namespace (the publisher's <c>&lt;app&gt;-secrets</c> convention).</summary>
    public const string Name = "navidrome-secrets";

    public const string UserKey = "navidrome-admin-user";

    /// <summary>The AppHost parameter's name, as every secret parameter's key is.</summary>
    public const string PasswordKey = "navidrome-admin-password";

    /// <summary>The sidecar's environment variables.</summary>
    public const string UserVariable = "NAVIDROME_ADMIN_USER";

    public const string PasswordVariable = "NAVIDROME_ADMIN_PASSWORD";
}
