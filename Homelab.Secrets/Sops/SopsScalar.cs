namespace Homelab.Secrets.Sops;

/// <summary>A leaf: string, long, double, bool, byte[] (decrypted <c>bytes</c>) or null.</summary>
internal sealed record SopsScalar(object? Value) : SopsNode;
