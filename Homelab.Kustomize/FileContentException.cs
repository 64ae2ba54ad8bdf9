namespace Homelab.Kustomize;

/// <summary>
/// The <see cref="IFileContentFilter"/> refused a file (or failed on it): <see cref="BuildException.File"/> names it,
/// <see cref="Reason"/> is the filter's one-line reason.
/// </summary>
public sealed class FileContentException : BuildException
{
    /// <summary>Creates the error for <paramref name="file"/> (relative to the repository root).</summary>
    public FileContentException(string file, string reason, Exception? inner = null)
        : base(file, null, reason, inner) => Reason = reason;

    /// <summary>Creates an error with a free-form message (prefer the file/reason constructor).</summary>
    public FileContentException(string message) : base(message) => Reason = message;

    /// <summary>Creates an error with a free-form message and cause.</summary>
    public FileContentException(string message, Exception innerException) : base(message, innerException) => Reason = message;

    /// <summary>Creates an empty error.</summary>
    public FileContentException() => Reason = "";

    /// <summary>Why the filter refused the file.</summary>
    public string Reason { get; }
}
