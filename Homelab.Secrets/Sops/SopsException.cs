namespace Homelab.Secrets.Sops;

/// <summary>Carries a failure out of the parsers and the tree walk (the file is named at the public boundary); never escapes the library.</summary>
internal sealed class SopsException(SopsErrorKind kind, string message) : Exception(message)
{
    public SopsErrorKind Kind { get; } = kind;
}
