namespace Homelab.Kustomize;

/// <summary>What an <see cref="IFileContentFilter"/> decided for one file: keep it, read other bytes in its place, or refuse it.</summary>
public sealed class FileContentResult
{
    private FileContentResult(byte[]? replacement, string? refusal)
    {
        Replacement = replacement;
        Refusal = refusal;
    }

    /// <summary>Read the file as it is.</summary>
    public static FileContentResult Unchanged { get; } = new(null, null);

    /// <summary>The bytes to read in place of the file's (never written anywhere by the builder).</summary>
    public byte[]? Replacement { get; }

    /// <summary>Why the file cannot be read (one line, no content of the file); null unless refused.</summary>
    public string? Refusal { get; }

    /// <summary>Read <paramref name="content"/> in place of the file's bytes.</summary>
    public static FileContentResult Replaced(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new(content, null);
    }

    /// <summary>The build fails with a <see cref="FileContentException"/> naming the file and <paramref name="reason"/>.</summary>
    public static FileContentResult Refused(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(null, reason);
    }
}
