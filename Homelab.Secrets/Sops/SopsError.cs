namespace Homelab.Secrets.Sops;

/// <summary>A typed SOPS failure naming the file. <see cref="Message"/> never holds a secret value or key.</summary>
public sealed record SopsError(SopsErrorKind Kind, string File, string Message)
{
    public override string ToString() => $"{File}: {Kind}: {Message}";
}
