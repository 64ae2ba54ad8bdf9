namespace Homelab.Reconciler.Cli;

/// <summary>
/// Where <c>build DIR</c> draws the boundary that <c>..</c> may not cross, as <c>kubectl kustomize</c> users expect:
/// the enclosing Git repository of DIR, or the current directory outside one (DIR itself when it lies elsewhere).
/// Overlays then reach their bases with <c>../base</c>, and nothing outside the repository is read.
/// </summary>
internal static class BuildRoot
{
    /// <summary>The root (absolute) and DIR relative to it.</summary>
    public static (string Root, string Path) Locate(string directory, string currentDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory, currentDirectory));
        var root = EnclosingRepository(full)
            ?? (IsInside(full, currentDirectory) ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(currentDirectory)) : full);
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        return (root, relative);
    }

    /// <summary>The nearest folder at or above <paramref name="folder"/> holding <c>.git</c> (a folder, or a file in worktrees).</summary>
    public static string? EnclosingRepository(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Path.TrimEndingDirectorySeparator(current.FullName);
            }
        }
        return null;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
