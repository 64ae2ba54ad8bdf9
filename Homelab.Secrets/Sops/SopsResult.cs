namespace Homelab.Secrets.Sops;

/// <summary>A value, or the <see cref="SopsError"/> that prevented it.</summary>
public sealed record SopsResult<T>(T? Value, SopsError? Error)
{
    public bool Succeeded => Error is null;
}
