namespace Homelab.Secrets.Sops;

/// <summary>A list; its items share their parent's key path (sops adds no index to the path).</summary>
internal sealed record SopsSequence(List<SopsNode> Items) : SopsNode;
