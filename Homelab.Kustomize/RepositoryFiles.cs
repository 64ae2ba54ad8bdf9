using System.Text;

namespace Homelab.Kustomize;

/// <summary>
/// The only way the builder touches the disk: every path is relative to the repository root,
/// normalised, and resolved through symlinks, and anything that leaves the root or enters a .git folder
/// is refused.
/// </summary>
internal sealed class RepositoryFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly BuildLimits _limits;
    private readonly IFileContentFilter? _filter;

    public RepositoryFiles(string repositoryRoot, BuildLimits limits, IFileContentFilter? filter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryRoot);
        if (!Path.IsPathFullyQualified(repositoryRoot))
        {
            throw new BuildException(".", null, $"repository root '{repositoryRoot}' is not an absolute path");
        }
        _limits = limits;
        _filter = filter;
        // The root itself may sit behind a symlink (e.g. /tmp on macOS); compare against its real location.
        Root = RealPath(Path.TrimEndingDirectorySeparator(Path.GetFullPath(repositoryRoot)), 0);
    }

    /// <summary>Real absolute path of the repository root.</summary>
    public string Root { get; }

    /// <summary>
    /// Joins <paramref name="relative"/> onto the folder <paramref name="baseDirectory"/> (both relative to the root)
    /// and returns the normalised root-relative path ("." for the root). Throws if it escapes the root.
    /// </summary>
    public string Resolve(string referencingFile, string baseDirectory, string relative, string field)
    {
        if (string.IsNullOrWhiteSpace(relative))
        {
            throw new BuildException(referencingFile, field, "empty path");
        }
        if (Path.IsPathRooted(relative) || relative.StartsWith('~'))
        {
            throw new BuildException(referencingFile, field, $"absolute path '{relative}' is not allowed; paths are relative to the kustomization");
        }
        var parts = new List<string>();
        foreach (var segment in $"{baseDirectory}/{relative}".Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    throw new BuildException(referencingFile, field, $"path '{relative}' leaves the repository root");
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(segment);
        }
        var normalised = parts.Count == 0 ? "." : string.Join('/', parts);
        if (parts.Any(IsGitFolder))
        {
            throw InsideGit(referencingFile, field, relative, normalised);
        }
        var real = RealPath(ToAbsolute(normalised), 0);
        if (!IsInsideRoot(real))
        {
            throw new BuildException(referencingFile, field, $"path '{relative}' resolves (through a symlink) outside the repository root");
        }
        // A symlink inside the repository may still lead into .git.
        var realRelative = Path.GetRelativePath(Root, real);
        if (realRelative.Split(Path.DirectorySeparatorChar).Any(IsGitFolder))
        {
            throw InsideGit(referencingFile, field, relative, realRelative.Replace(Path.DirectorySeparatorChar, '/'));
        }
        return normalised;
    }

    /// <summary>Absolute path of a root-relative path.</summary>
    public string ToAbsolute(string relative) => relative == "." ? Root : Path.Combine(Root, relative);

    public bool IsDirectory(string relative) => Directory.Exists(ToAbsolute(relative));

    public bool IsFile(string relative) => File.Exists(ToAbsolute(relative));

    /// <summary>Root-relative real path, used to detect kustomization cycles through symlinks.</summary>
    public string Canonical(string relative) => RealPath(ToAbsolute(relative), 0);

    /// <summary>Reads a text file: size-capped, strict UTF-8, no NUL bytes (binary files are refused).</summary>
    public string ReadText(string relative) => DecodeText(relative, ReadBytes(relative));

    /// <summary>Reads raw bytes (for generator files), size-capped.</summary>
    public byte[] ReadBytes(string relative)
    {
        var info = new FileInfo(ToAbsolute(relative));
        if (!info.Exists)
        {
            throw new BuildException(relative, null, "file not found");
        }
        if (info.Length > _limits.MaxFileBytes)
        {
            throw new BuildException(relative, null, $"file is {info.Length} bytes, over the limit of {_limits.MaxFileBytes}");
        }
        var bytes = File.ReadAllBytes(info.FullName);
        if (bytes.Length > _limits.MaxFileBytes)
        {
            // It grew between the check and the read.
            throw new BuildException(relative, null, $"file is over the limit of {_limits.MaxFileBytes} bytes");
        }
        return bytes;
    }

    /// <summary>
    /// Reads a file through the content filter (resources and generator sources): the filter's bytes in place of the
    /// file's, size-capped before and after it. A refusal, or a filter that throws, is a <see cref="FileContentException"/>.
    /// </summary>
    public byte[] ReadFiltered(string relative, FileRole role, string referencedBy)
    {
        var bytes = ReadBytes(relative);
        if (_filter is null)
        {
            return bytes;
        }
        FileContentResult result;
        try
        {
            result = _filter.Filter(relative, role, referencedBy, bytes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new FileContentException(relative, $"the content filter failed: {e.GetType().Name}: {e.Message}", e);
        }
        if (result.Refusal is { } refusal)
        {
            throw new FileContentException(relative, refusal);
        }
        if (result.Replacement is { } replacement && replacement.Length > _limits.MaxFileBytes)
        {
            throw new BuildException(relative, null, $"the content filter made it {replacement.Length} bytes, over the limit of {_limits.MaxFileBytes}");
        }
        return result.Replacement ?? bytes;
    }

    internal static string DecodeText(string relative, byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw new BuildException(relative, null, "binary file (contains NUL bytes) where text was expected");
        }
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            throw new BuildException(relative, null, $"invalid UTF-8 at byte {e.Index}", e);
        }
    }

    /// <summary>
    /// A ".git" path segment: Git's own files (.git/config holds remote URLs, sometimes with credentials) are
    /// never data. Stricter than kustomize on purpose: `kubectl kustomize` reads `.git/config` when it lies
    /// below the kustomization. Case-insensitive, as Git itself treats ".GIT" on case-insensitive disks.
    /// </summary>
    internal static bool IsGitFolder(string segment) => string.Equals(segment, ".git", StringComparison.OrdinalIgnoreCase);

    private static BuildException InsideGit(string referencingFile, string field, string relative, string resolved) =>
        new(referencingFile, field, $"path '{relative}' resolves to '{resolved}', inside a .git folder: Git's own files are never read into the cluster");

    private bool IsInsideRoot(string real) =>
        real == Root || real.StartsWith(Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Resolves every symlink along <paramref name="absolute"/> (a managed realpath).</summary>
    private static string RealPath(string absolute, int hops)
    {
        if (hops > 40)
        {
            throw new BuildException(absolute, null, "too many levels of symbolic links");
        }
        var root = Path.GetPathRoot(absolute)!;
        var current = root;
        var rest = absolute[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < rest.Length; i++)
        {
            var segment = rest[i];
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var next = Path.Combine(current, segment);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                // Re-resolve target plus the remaining segments: the target may itself hold links or '..'.
                var targetAbsolute = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                var remaining = string.Join(Path.DirectorySeparatorChar, rest[(i + 1)..]);
                return RealPath(Path.GetFullPath(remaining.Length == 0 ? targetAbsolute : Path.Combine(targetAbsolute, remaining)), hops + 1);
            }
            current = next;
        }
        return current;
    }
}
