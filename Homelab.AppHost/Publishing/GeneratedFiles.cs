namespace Homelab.AppHost.Publishing;

/// <summary>
/// Writes the cluster folder. A list of what it generated (<c>.homelab-generated</c>) lets the next
/// publish remove files it no longer generates, and nothing else: a file the user added stays. Seed
/// files (<see cref="SeedFile"/>) are never listed nor removed, and are written only while untouched.
/// </summary>
internal static class GeneratedFiles
{
    public const string IndexName = ".homelab-generated";

    /// <summary>Writes the files; returns the seeds left as the user edited them.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, SeedFile> seeds)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(seeds);
        var index = Path.Combine(directory, IndexName);
        var previous = File.Exists(index) ? File.ReadAllLines(index) : [];
        // Earlier versions listed the root kustomization as generated: it is a seed now, and stays.
        foreach (var stale in previous.Where(p => p.Length > 0 && !files.ContainsKey(p) && !seeds.ContainsKey(p)))
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

        var kept = new List<string>();
        foreach (var (relative, seed) in seeds)
        {
            var path = Path.Combine(directory, relative);
            if (File.Exists(path) && !seed.IsUntouched(File.ReadAllText(path)))
            {
                kept.Add(relative);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, seed.Content);
        }

        File.WriteAllText(index, string.Join('\n', files.Keys) + "\n");
        return kept;
    }
}
