using LibGit2Sharp;

namespace Homelab.Reconciler.Source;

/// <summary>
/// Holds a commit against <see cref="SourceLimits"/> by walking its tree objects, reading blob sizes
/// from object headers and never blob contents, so a hostile commit is refused before any of it is
/// written to disk or held in memory.
/// </summary>
internal static class CommitTreeCheck
{
    /// <summary>Throws when <paramref name="commit"/> breaks a limit, naming the limit and the first file or folder over it.</summary>
    /// <exception cref="SourceException">The commit is over a limit.</exception>
    public static void Check(Repository repository, Commit commit, SourceLimits limits)
    {
        var entries = 0;
        var totalBytes = 0L;

        // An explicit stack, not recursion: the depth of a hostile tree must not decide the stack's.
        var pending = new Stack<(Tree Tree, string Path, int Depth)>();
        pending.Push((commit.Tree, string.Empty, 0));
        while (pending.TryPop(out var folder))
        {
            // Pushed in reverse so folders are walked in Git's order and the first offender is reported.
            var subfolders = new List<(Tree, string, int)>();
            foreach (var entry in folder.Tree)
            {
                var path = folder.Path.Length == 0 ? entry.Name : $"{folder.Path}/{entry.Name}";
                if (++entries > limits.MaxFiles)
                {
                    throw Refused(commit, path, $"the commit holds more than {limits.MaxFiles} files and folders, the limit");
                }

                switch (entry.TargetType)
                {
                    case TreeEntryTargetType.Tree when folder.Depth + 1 > limits.MaxDirectoryDepth:
                        throw Refused(commit, path, $"folders nest deeper than the limit of {limits.MaxDirectoryDepth}");
                    case TreeEntryTargetType.Tree:
                        subfolders.Add(((Tree)entry.Target, path, folder.Depth + 1));
                        break;
                    case TreeEntryTargetType.Blob:
                        var size = repository.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size;
                        if (size > limits.MaxFileBytes)
                        {
                            throw Refused(commit, path, $"file is {size} bytes, over the limit of {limits.MaxFileBytes} bytes per file");
                        }

                        totalBytes += size;
                        if (totalBytes > limits.MaxTotalBytes)
                        {
                            throw Refused(commit, path, $"files add up to more than the limit of {limits.MaxTotalBytes} bytes in all (reached at this file)");
                        }

                        break;
                }
            }

            for (var i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }
    }

    private static SourceException Refused(Commit commit, string path, string reason) =>
        new($"Commit {commit.Sha} refused: {path}: {reason}; nothing of it was checked out") { RemoteAnswered = true };
}
