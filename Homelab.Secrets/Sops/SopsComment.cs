namespace Homelab.Secrets.Sops;

/// <summary>
/// A comment, kept as sops keeps it: an item of the mapping or list it sits in (in a mapping, an entry whose key is null:
/// no YAML or dotenv key reads as null), its text everything after the <c>#</c>. Encrypted like a value under the path of
/// what holds it (<c>#ENC[…,type:comment]</c>), but never part of the MAC. Inline: it followed a value on that value's line.
/// </summary>
internal sealed record SopsComment(string Text, bool Inline) : SopsNode
{
    /// <summary>This comment as an entry of a mapping.</summary>
    public KeyValuePair<string, SopsNode> Entry() => new(null!, this);
}
