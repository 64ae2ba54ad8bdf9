namespace Homelab.Reconciler.Source;

/// <summary>
/// A validated remote: the URL libgit2 talks to (without credentials, so none land in
/// .git/config) and the credentials that were embedded in it, if any.
/// </summary>
/// <param name="Url">The URL without user-info, or the full path of a local repository.</param>
/// <param name="UserName">The user name embedded in the URL, if any.</param>
/// <param name="Password">The password embedded in the URL, if any.</param>
internal sealed record GitRemote(string Url, string? UserName, string? Password)
{
    /// <summary>Whether libgit2 talks HTTP to this remote, so credentials apply.</summary>
    public bool IsHttp => Url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository's directory when it is on this machine (a path or a file:// URL), else null.</summary>
    public string? LocalPath => Url.StartsWith("file://", StringComparison.OrdinalIgnoreCase)
        ? new Uri(Url).LocalPath
        : Url.Contains("://", StringComparison.Ordinal) ? null : Url;

    /// <summary>Parses and validates a source URL or local path.</summary>
    /// <exception cref="SourceException">The URL is malformed or uses a transport that is not supported.</exception>
    public static GitRemote Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);

        if (!url.Contains("://", StringComparison.Ordinal))
        {
            // scp-like "git@host:org/repo" is SSH, which this source does not speak.
            if (url.Contains('@', StringComparison.Ordinal) && url.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(url))
            {
                throw new SourceException($"Unsupported Git URL {UrlRedactor.Redact(url)}: SSH is not supported, use https");
            }

            return new GitRemote(Path.GetFullPath(url), null, null);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new SourceException($"Invalid Git URL {UrlRedactor.Redact(url)}");
        }

        switch (uri.Scheme)
        {
            case "file":
                return new GitRemote(uri.AbsoluteUri, null, null);
            case "https":
                break;
            case "http" or "git" when uri.IsLoopback:
                break;
            case "http" or "git":
                throw new SourceException($"Unsupported Git URL {UrlRedactor.Redact(url)}: {uri.Scheme}:// is unencrypted and only allowed on a loopback host, use https");
            default:
                throw new SourceException($"Unsupported Git URL {UrlRedactor.Redact(url)}: scheme {uri.Scheme} is not supported, use https");
        }

        string? userName = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            userName = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            password = separator < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
        }

        var bare = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
        return new GitRemote(bare.AbsoluteUri, userName, password);
    }
}
