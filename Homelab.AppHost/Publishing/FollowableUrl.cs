namespace Homelab.AppHost.Publishing;

/// <summary>
/// The URL an in-cluster reconciler can follow for a clone's <c>origin</c>. Off its own host the reconciler
/// speaks HTTPS only (no SSH; plain http:// and git:// only on loopback), so an SSH origin
/// (<c>git@github.com:me/homelab.git</c>, <c>ssh://git@host/me/homelab.git</c>) becomes the same host and path
/// over HTTPS, as GitHub, GitLab, Gitea and Codeberg serve them. A local path or <c>file://</c> origin is on
/// this machine, not the cluster's, and an unencrypted one would be refused: there is nothing to follow.
/// </summary>
internal static class FollowableUrl
{
    public static string? FromOrigin(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin))
        {
            return null;
        }

        if (origin.Contains("://", StringComparison.Ordinal))
        {
            return !Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? null : uri.Scheme switch
            {
                "https" => origin,
                "ssh" => $"https://{uri.Host}{uri.AbsolutePath}",
                _ => null,
            };
        }

        // scp-like: [user@]host:path, where the host has no slash (else it is a path with a colon in it)
        // and is longer than a Windows drive letter.
        var colon = origin.IndexOf(':', StringComparison.Ordinal);
        var host = colon > 1 ? origin[(origin.LastIndexOf('@', colon - 1) + 1)..colon] : string.Empty;
        return host.Length > 1 && !host.Contains('/', StringComparison.Ordinal) && !host.Contains('\\', StringComparison.Ordinal)
            ? $"https://{host}/{origin[(colon + 1)..].TrimStart('/')}"
            : null;
    }
}
