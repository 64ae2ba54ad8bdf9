using System.Text.RegularExpressions;

namespace Homelab.Secrets.Sops;

/// <summary>
/// Which values sops encrypts: at most one of the four selectors (a key path element ending in / matching it), and
/// whether the MAC covers only encrypted values. With none set, keys ending in <c>_unencrypted</c> stay plain (sops' default).
/// </summary>
public sealed record SopsRules(string? UnencryptedSuffix = null, string? EncryptedSuffix = null, string? UnencryptedRegex = null, string? EncryptedRegex = null, bool MacOnlyEncrypted = false)
{
    /// <summary>sops' default when no selector is set.</summary>
    public const string DefaultUnencryptedSuffix = "_unencrypted";

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>These rules with sops' default filled in, or the problem (more than one selector, a bad regex).</summary>
    internal SopsRules Normalized()
    {
        var set = new[] { UnencryptedSuffix, EncryptedSuffix, UnencryptedRegex, EncryptedRegex }.Count(s => !string.IsNullOrEmpty(s));
        if (set > 1)
        {
            throw new SopsException(SopsErrorKind.Malformed, "only one of unencrypted_suffix, encrypted_suffix, unencrypted_regex and encrypted_regex may be set");
        }

        foreach (var pattern in new[] { UnencryptedRegex, EncryptedRegex }.Where(p => !string.IsNullOrEmpty(p)))
        {
            try
            {
                _ = new Regex(pattern!, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                throw new SopsException(SopsErrorKind.Malformed, $"'{pattern}' is not a valid regular expression");
            }
        }

        return set == 0 ? this with { UnencryptedSuffix = DefaultUnencryptedSuffix } : this;
    }

    /// <summary>Whether the leaf at <paramref name="path"/> is encrypted (sops' shouldBeEncrypted, comments aside).</summary>
    internal bool ShouldEncrypt(IReadOnlyList<string> path)
    {
        if (!string.IsNullOrEmpty(UnencryptedSuffix))
        {
            return !path.Any(p => p.EndsWith(UnencryptedSuffix, StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(EncryptedSuffix))
        {
            return path.Any(p => p.EndsWith(EncryptedSuffix, StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(UnencryptedRegex))
        {
            return !path.Any(p => Regex.IsMatch(p, UnencryptedRegex, RegexOptions.CultureInvariant, RegexTimeout));
        }

        return string.IsNullOrEmpty(EncryptedRegex) || path.Any(p => Regex.IsMatch(p, EncryptedRegex, RegexOptions.CultureInvariant, RegexTimeout));
    }
}
