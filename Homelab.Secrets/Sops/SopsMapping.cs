namespace Homelab.Secrets.Sops;

/// <summary>A mapping, its keys in file order (the MAC depends on that order).</summary>
internal sealed record SopsMapping(List<KeyValuePair<string, SopsNode>> Entries) : SopsNode
{
    public SopsNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
