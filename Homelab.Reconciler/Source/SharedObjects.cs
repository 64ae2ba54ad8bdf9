using LibGit2Sharp;

namespace Homelab.Reconciler.Source;

/// <summary>
/// Lets the working copy of a source on this machine (a path or a file:// URL) read the source's objects where they
/// lie, as <c>git clone --shared</c> does (Git's alternates), so nothing is ever fetched from it. libgit2 has no shallow
/// local transport and builds the whole pack of a local fetch in memory: a 400 MB file anywhere in the history took
/// ~850 MiB and put a 400 MB pack in the state directory, even when only the revert after it was checked out. Read in
/// place, the tracked commit is held against <see cref="SourceLimits"/> on the source's own objects before checkout,
/// and checkout reads only the files of the commit it writes.
/// </summary>
internal static class SharedObjects
{
    /// <summary>
    /// Points the object database of the working copy at <paramref name="workingCopy"/> to the objects of
    /// <paramref name="remote"/> when that is on this machine; does nothing for a network remote.
    /// </summary>
    /// <remarks>Call before the working copy is opened: libgit2 reads the alternates when it opens a repository.</remarks>
    /// <exception cref="LibGit2SharpException">The source repository cannot be opened.</exception>
    public static void Share(string workingCopy, GitRemote remote)
    {
        if (remote.LocalPath is not { } path)
        {
            return;
        }

        // Opened only to find its objects; nothing is written to it.
        string objects;
        using (var source = new Repository(path))
        {
            objects = ObjectsOf(source.Info.Path);
        }

        var alternates = Path.Combine(workingCopy, ".git", "objects", "info", "alternates");
        var line = objects + "\n";
        if (!File.Exists(alternates) || !string.Equals(File.ReadAllText(alternates), line, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(alternates)!);
            File.WriteAllText(alternates, line);
        }
    }

    // A linked worktree (as git-sync makes) keeps its objects in the main Git directory, named in its commondir file.
    private static string ObjectsOf(string gitDirectory)
    {
        var commonDirectory = Path.Combine(gitDirectory, "commondir");
        var common = File.Exists(commonDirectory)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonDirectory).Trim()))
            : gitDirectory;
        return Path.Combine(common, "objects");
    }
}
