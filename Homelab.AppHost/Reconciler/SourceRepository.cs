namespace Homelab.AppHost.Reconciler;

/// <summary>The Git repository the AppHost lives in: the reconciler's default source.</summary>
/// <param name="Root">The repository's root folder (a linked worktree's own folder in a worktree).</param>
/// <param name="Ref">The checked-out branch (or commit when detached).</param>
/// <param name="CommonDirectory">The Git directory holding the repository's <c>config</c>: <c>.git</c>, or the main one for a worktree.</param>
internal sealed record SourceRepository(string Root, string Ref, string CommonDirectory)
{
    private const string GitDirectoryPrefix = "gitdir:";

    /// <summary>Finds the repository containing <paramref name="directory"/>, or null outside Git.</summary>
    public static SourceRepository? Find(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (GitDirectory(Path.Combine(current.FullName, ".git")) is { } gitDirectory && File.Exists(Path.Combine(gitDirectory, "HEAD")))
            {
                return new SourceRepository(current.FullName, ReadHead(Path.Combine(gitDirectory, "HEAD")), CommonDirectoryOf(gitDirectory));
            }
        }

        return null;
    }

    /// <summary>
    /// The folder <c>.git</c> itself, or where a <c>.git</c> file points (<c>gitdir: PATH</c>): a linked
    /// worktree or a submodule keeps its HEAD there.
    /// </summary>
    private static string? GitDirectory(string dotGit)
    {
        if (Directory.Exists(dotGit))
        {
            return dotGit;
        }

        var line = File.Exists(dotGit) ? File.ReadLines(dotGit).FirstOrDefault()?.Trim() : null;
        return line is not null && line.StartsWith(GitDirectoryPrefix, StringComparison.Ordinal)
            ? Path.GetFullPath(line[GitDirectoryPrefix.Length..].Trim(), Path.GetDirectoryName(dotGit)!)
            : null;
    }

    /// <summary>A linked worktree's Git directory names the shared one, where config lives, in <c>commondir</c> (relative to it).</summary>
    private static string CommonDirectoryOf(string gitDirectory)
    {
        var commonDir = Path.Combine(gitDirectory, "commondir");
        return File.Exists(commonDir) ? Path.GetFullPath(File.ReadAllText(commonDir).Trim(), gitDirectory) : gitDirectory;
    }

    private static string ReadHead(string headFile)
    {
        const string branchPrefix = "ref: refs/heads/";
        var head = File.ReadAllText(headFile).Trim();
        return head.StartsWith(branchPrefix, StringComparison.Ordinal) ? head[branchPrefix.Length..] : head;
    }

    /// <summary>The <c>origin</c> remote's URL from the repository's <c>config</c>, credentials removed; null when there is none.</summary>
    public string? OriginUrl()
    {
        var config = Path.Combine(CommonDirectory, "config");
        if (!File.Exists(config))
        {
            return null;
        }

        var inOrigin = false;
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inOrigin = line == "[remote \"origin\"]";
            }
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Split('=', 2) is [_, var url])
            {
                var value = url.Trim();
                return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
                    ? value.Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
                    : value;
            }
        }

        return null;
    }
}
