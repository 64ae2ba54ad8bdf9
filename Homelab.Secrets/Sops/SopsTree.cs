using System.Security.Cryptography;

namespace Homelab.Secrets.Sops;

/// <summary>
/// sops' tree walk: every leaf in file order, its path the mapping keys above it (list items add nothing), joined with
/// ':' plus a trailing ':' as the AES-GCM additional data. The MAC is SHA-512 over every leaf's plaintext bytes (or only
/// the encrypted ones, after a fixed prefix, with mac_only_encrypted), upper-case hex. Nulls are neither encrypted nor
/// hashed; empty strings stay empty but are hashed. Comments are encrypted under the path of what holds them, never hashed.
/// The documents of a multi-document file are walked in order into one MAC.
/// </summary>
internal static class SopsTree
{
    /// <summary>SHA-256("sops"): starts the hash when only encrypted values count, so the two MAC kinds never collide.</summary>
    private static readonly byte[] MacOnlyEncryptedPrefix = SHA256.HashData("sops"u8);

    /// <summary>Encrypts the leaves <paramref name="rules"/> select in place; returns the MAC (plaintext hex).</summary>
    public static string Encrypt(IReadOnlyList<SopsMapping> documents, SopsRules rules, byte[] dataKey) =>
        Walk(documents, rules, encrypting: true, (value, path) => SopsValueCipher.Encrypt(value, dataKey, Path(path)));

    /// <summary>Decrypts the leaves <paramref name="rules"/> select in place; returns the MAC of the plaintext (hex).</summary>
    public static string Decrypt(IReadOnlyList<SopsMapping> documents, SopsRules rules, byte[] dataKey) =>
        Walk(documents, rules, encrypting: false, (value, path) => value is string text
            ? SopsValueCipher.Decrypt(text, dataKey, Path(path))
            : throw new SopsException(SopsErrorKind.Malformed, $"the value at '{Path(path)}' should be encrypted but is a plain {value.GetType().Name}"));

    /// <summary>The MAC of a plaintext tree (hex), nothing changed.</summary>
    public static string Mac(IReadOnlyList<SopsMapping> documents, SopsRules rules) =>
        Walk(documents, rules, encrypting: true, (value, _) => value);

    private static string Path(List<string> path) => string.Join(':', path) + ":";

    /// <summary>Visits every leaf; <paramref name="transform"/> maps a selected, non-empty leaf to its new value.</summary>
    private static string Walk(IReadOnlyList<SopsMapping> documents, SopsRules rules, bool encrypting, Func<object, List<string>, object> transform)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        if (rules.MacOnlyEncrypted)
        {
            hash.AppendData(MacOnlyEncryptedPrefix);
        }

        foreach (var root in documents)
        {
            Node(root, []);
        }

        return Convert.ToHexString(hash.GetHashAndReset());

        SopsNode Node(SopsNode node, List<string> path)
        {
            switch (node)
            {
                case SopsMapping mapping:
                    for (var i = 0; i < mapping.Entries.Count; i++)
                    {
                        var (key, value) = mapping.Entries[i];
                        // A comment sits at the path of what holds it, not under a key.
                        mapping.Entries[i] = new(key, Node(value, value is SopsComment ? path : [.. path, key]));
                    }

                    return mapping;
                case SopsSequence sequence:
                    for (var i = 0; i < sequence.Items.Count; i++)
                    {
                        sequence.Items[i] = Node(sequence.Items[i], path);
                    }

                    return sequence;
                case SopsComment comment when comment.Text.Length > 0 && rules.ShouldEncrypt(path):
                    return Comment(comment, path);
                case SopsComment or SopsScalar { Value: null }:
                    return node;
                case SopsScalar { Value: { } value }:
                    var selected = rules.ShouldEncrypt(path);
                    // The MAC covers plaintext: hashed before encrypting, after decrypting.
                    var result = selected && !(value is string { Length: 0 }) ? transform(value, path) : value;
                    if (!rules.MacOnlyEncrypted || selected)
                    {
                        hash.AppendData(SopsScalarText.ToBytes(encrypting ? value : result));
                    }

                    return new SopsScalar(result);
                default:
                    throw new SopsException(SopsErrorKind.Malformed, $"unexpected node {node.GetType().Name}");
            }
        }

        // Encrypted and decrypted as sops does, never hashed: the MAC covers values only.
        SopsComment Comment(SopsComment comment, List<string> path)
        {
            if (encrypting)
            {
                return transform(comment, path) is string text ? comment with { Text = text } : comment;
            }

            try
            {
                return transform(comment.Text, path) is string text ? comment with { Text = text } : comment;
            }
            catch (SopsException)
            {
                // As sops: a comment that does not decrypt was written in the clear (by an older sops), and stays as it is.
                return comment;
            }
        }
    }
}
