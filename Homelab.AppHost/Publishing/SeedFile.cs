namespace Homelab.AppHost.Publishing;

/// <summary>
/// A file publish writes while it is missing or untouched: equal to <paramref name="Content"/> or to
/// one of <paramref name="EarlierVersions"/> (what older publishes wrote). Any other content is the
/// user's, and publish never overwrites or removes it.
/// </summary>
internal sealed record SeedFile(string Content, IReadOnlyList<string> EarlierVersions)
{
    public bool IsUntouched(string current) => current == Content || EarlierVersions.Contains(current, StringComparer.Ordinal);
}
