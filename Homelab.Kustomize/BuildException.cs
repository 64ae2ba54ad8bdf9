namespace Homelab.Kustomize;

/// <summary>
/// A kustomization could not be rendered. The message is one line:
/// <c>&lt;file relative to repo root&gt;: &lt;field or line&gt;: &lt;reason&gt;</c>.
/// </summary>
/// <remarks>Not sealed: <see cref="FileContentException"/> is the one kind a caller tells apart (its own filter refused a file).</remarks>
public class BuildException : Exception
{
    /// <summary>Creates an error about <paramref name="file"/>, optionally at <paramref name="field"/>.</summary>
    public BuildException(string file, string? field, string reason, Exception? inner = null)
        : base(Format(file, field, reason), inner)
    {
        File = file;
        Field = field;
    }

    /// <summary>Creates an error with a free-form message (prefer the file/field constructor).</summary>
    public BuildException(string message) : base(message) => File = "";

    /// <summary>Creates an error with a free-form message and cause.</summary>
    public BuildException(string message, Exception innerException) : base(message, innerException) => File = "";

    /// <summary>Creates an empty error.</summary>
    public BuildException() => File = "";

    /// <summary>The file at fault, relative to the repository root ("." for the root itself).</summary>
    public string File { get; }

    /// <summary>The field (dotted path) or "line L, column C" at fault, when known.</summary>
    public string? Field { get; }

    private static string Format(string file, string? field, string reason)
    {
        // One line: multi-line YAML snippets in reasons would break log and status readers.
        var oneLine = reason.ReplaceLineEndings(" ");
        return field is null ? $"{file}: {oneLine}" : $"{file}: {field}: {oneLine}";
    }
}
