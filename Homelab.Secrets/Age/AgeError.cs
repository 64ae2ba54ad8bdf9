namespace Homelab.Secrets.Age;

/// <summary>A typed age failure. <see cref="Message"/> never holds key material or plaintext.</summary>
public sealed record AgeError(AgeErrorKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}
