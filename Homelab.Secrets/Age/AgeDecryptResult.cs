namespace Homelab.Secrets.Age;

/// <summary>The plaintext of an age file, or why there is none.</summary>
public sealed record AgeDecryptResult(byte[]? Plaintext, AgeError? Error)
{
    public bool Succeeded => Error is null;
}
