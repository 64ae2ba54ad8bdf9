using System.Text;
using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>
/// A content filter of the kind a caller writes (the reconciler's decrypts SOPS): files that start with <c>b64:</c> are
/// read as the base64 after it; <c>refuse:</c> refuses the file, <c>throw:</c> throws, <c>grow:</c> returns
/// <see cref="GrowTo"/> bytes. Every call is recorded.
/// </summary>
internal sealed class EncodedFilesFilter : IFileContentFilter
{
    public List<(string Path, FileRole Role, string ReferencedBy)> Calls { get; } = [];

    public int GrowTo { get; init; }

    public static string Encode(string plaintext) => "b64:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(plaintext));

    public FileContentResult Filter(string path, FileRole role, string referencedBy, ReadOnlyMemory<byte> content)
    {
        Calls.Add((path, role, referencedBy));
        var text = Encoding.UTF8.GetString(content.Span);
        return text switch
        {
            _ when text.StartsWith("b64:", StringComparison.Ordinal) => FileContentResult.Replaced(Convert.FromBase64String(text[4..].Trim())),
            _ when text.StartsWith("refuse:", StringComparison.Ordinal) => FileContentResult.Refused(text[7..].Trim()),
            _ when text.StartsWith("throw:", StringComparison.Ordinal) => throw new InvalidOperationException(text[6..].Trim()),
            _ when text.StartsWith("grow:", StringComparison.Ordinal) => FileContentResult.Replaced(new byte[GrowTo]),
            _ => FileContentResult.Unchanged,
        };
    }
}
