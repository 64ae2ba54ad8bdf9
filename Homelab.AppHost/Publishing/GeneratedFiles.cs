namespace Homelab.AppHost.Publishing;

/// <summary>
/// Writes the cluster folder. A list of what it generated (<c>.homelab-generated</c>) lets the next
/// publish remove files it no longer generates, and nothing else: a file the user added stays.
/// </summary>
internal static class GeneratedFiles
{
    public const string IndexName = ".homelab-generated";

    public static void Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var index = Path.Combine(directory, IndexName);
        var previous = File.Exists(index) ? File.ReadAllLines(index) : [];
        foreach (var stale in previous.Where(p => p.Length > 0 && !files.ContainsKey(p)))
        {
            var path = Path.GetFullPath(Path.Combine(directory, stale));
            // Only inside the folder, whatever the index says.
            if (path.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
            {
                File.Delete(path);
                var folder = Path.GetDirectoryName(path)!;
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
        }

        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        File.WriteAllText(index, string.Join('\n', files.Keys) + "\n");
    }
}
