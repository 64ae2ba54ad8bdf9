using System.Text.RegularExpressions;

namespace Homelab.Reconciler.Source;

/// <summary>What a source tracks: a branch, a tag or a fixed commit.</summary>
/// <param name="Name">The short name used in revisions (<c>main</c>, <c>v1</c>), or null for a commit.</param>
/// <param name="RemoteName">The full ref on the remote (<c>refs/heads/main</c>), or null for a commit.</param>
/// <param name="LocalName">Where a fetch stores the remote ref in the working copy, or null for a commit.</param>
/// <param name="Commit">The 40-hex sha when a commit is tracked.</param>
internal sealed partial record TrackedRef(string? Name, string? RemoteName, string? LocalName, string? Commit)
{
    /// <summary>Whether a fixed commit is tracked rather than a ref.</summary>
    public bool IsCommit => Commit is not null;

    /// <summary>Whether a branch is tracked rather than a tag or a commit.</summary>
    public bool IsBranch => RemoteName?.StartsWith("refs/heads/", StringComparison.Ordinal) == true;

    /// <summary>The fetch refspec that brings the tracked ref over, forced so force-pushes are followed.</summary>
    public IReadOnlyList<string> RefSpecs => IsCommit
        ? ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
        : [$"+{RemoteName}:{LocalName}"];

    /// <summary>Parses a branch name, <c>refs/heads/x</c>, <c>refs/tags/x</c>, <c>tag:x</c> or a 40-hex commit.</summary>
    /// <exception cref="SourceException">The ref is empty or malformed.</exception>
    public static TrackedRef Parse(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new SourceException("Git ref is empty: set a branch, tag or commit");
        }

        reference = reference.Trim();
        if (Sha1().IsMatch(reference))
        {
            return new TrackedRef(null, null, null, reference.ToLowerInvariant());
        }

        if (reference.StartsWith("tag:", StringComparison.Ordinal))
        {
            return Tag(reference["tag:".Length..]);
        }

        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return Tag(reference["refs/tags/".Length..]);
        }

        var branch = reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..] : reference;
        Validate(branch, reference);
        return new TrackedRef(branch, $"refs/heads/{branch}", $"refs/remotes/origin/{branch}", null);
    }

    /// <summary>The revision as Flux spells it: <c>main@sha1:&lt;sha&gt;</c>, or <c>sha1:&lt;sha&gt;</c> for a commit.</summary>
    public string Revision(string sha) => Name is null ? $"sha1:{sha}" : $"{Name}@sha1:{sha}";

    /// <inheritdoc />
    public override string ToString() => Name ?? Commit ?? string.Empty;

    private static TrackedRef Tag(string tag)
    {
        Validate(tag, $"refs/tags/{tag}");
        return new TrackedRef(tag, $"refs/tags/{tag}", $"refs/tags/{tag}", null);
    }

    // A refspec is built from the name, so characters that change its meaning are refused.
    private static void Validate(string name, string reference)
    {
        if (name.Length == 0 || name.StartsWith('-') || name.StartsWith('+') || name.Contains("..", StringComparison.Ordinal)
            || name.IndexOfAny([':', '*', '?', '[', '\\', '^', '~', ' ']) >= 0)
        {
            throw new SourceException($"Git ref {reference} is not a valid branch or tag name");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha1();
}
