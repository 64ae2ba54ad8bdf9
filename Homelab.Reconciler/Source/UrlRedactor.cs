using System.Text.RegularExpressions;

namespace Homelab.Reconciler.Source;

/// <summary>Removes credentials from URLs and from messages that may quote them.</summary>
public static partial class UrlRedactor
{
    private const string Mask = "***";

    /// <summary>
    /// Replaces the user-info part of every URL in <paramref name="url"/> with <c>***</c>, and its query and fragment:
    /// <c>https://user:token@host/x?t=token</c> becomes <c>https://***@host/x?***</c>. Works on whole
    /// messages too, so a libgit2 error that quotes the URL can be passed through it.
    /// </summary>
    /// <param name="url">A URL, or any text that may contain URLs.</param>
    /// <returns>The text without credentials.</returns>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        // A token can ride in the query or fragment too (?access_token=…): their values are masked as well.
        return QueryOrFragment().Replace(UserInfo().Replace(url, "${scheme}" + Mask + "@"), "${url}${separator}" + Mask);
    }

    /// <summary>
    /// Redacts URL credentials like <see cref="Redact(string)"/> and also every occurrence of the
    /// given secrets (a token can show up without its URL, e.g. echoed by a server).
    /// </summary>
    /// <param name="text">Any text.</param>
    /// <param name="secrets">Secret values to mask; null or empty ones are skipped.</param>
    /// <returns>The text without credentials or secrets.</returns>
    public static string Redact(string text, IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var redacted = Redact(text);
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return redacted;
    }

    /// <summary>
    /// The source as anyone may see it (the status page): a URL without user-info, query or fragment (a token can
    /// hide in any of them), an scp-like address without its user, a local path as it is.
    /// </summary>
    /// <param name="source">A Git URL or a local repository path.</param>
    /// <returns>The same location, without credentials.</returns>
    public static string ForDisplay(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(source, UriKind.Absolute, out var uri)
                ? uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped)
                : Mask;
        }

        var at = source.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && !Path.IsPathRooted(source) ? source[(at + 1)..] : source;
    }

    // scheme://userinfo@ where userinfo stops at the first '/', whitespace or quote: the host part
    // never contains '@', so the last '@' before the path ends the credentials.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s'""<>]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // scheme://host/path, then ? or # and what follows up to whitespace or a quote.
    [GeneratedRegex(@"(?<url>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s'""<>?#]*)(?<separator>[?#])[^\s'""<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryOrFragment();
}
