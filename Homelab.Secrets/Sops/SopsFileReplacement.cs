namespace Homelab.Secrets.Sops;

/// <summary>
/// Replaces a file's text the way the sops CLI rewrites a file in place: written beside it with the file's own mode, then
/// renamed over it, so a reader (or a crash) sees the whole old file or the whole new one, never half of each.
/// </summary>
public static class SopsFileReplacement
{
    public static void Replace(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var full = Path.GetFullPath(file);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows() && File.Exists(full))
        {
            options.UnixCreateMode = File.GetUnixFileMode(full);
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
