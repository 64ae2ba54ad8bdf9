namespace Homelab.Reconciler.Source;

/// <summary>
/// Folders next to the working copy, on the same file system, where a new working copy is made and the
/// old one is set aside: the old one stays checked out until the new one is complete, and the swap is two
/// renames. Their names carry a marker so that only folders this source made are ever deleted.
/// </summary>
/// <param name="WorkingCopy">The working copy's full path, without a trailing separator.</param>
internal sealed record WorkingCopySiblings(string WorkingCopy)
{
    private const string IncomingMarker = ".homelab-incoming-";
    private const string OutgoingMarker = ".homelab-outgoing-";

    /// <summary>The siblings of <paramref name="workingCopy"/>.</summary>
    /// <exception cref="SourceException">The working copy is a file system root, so it has no siblings.</exception>
    public static WorkingCopySiblings Of(string workingCopy)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingCopy));
        return Path.GetDirectoryName(path) is { Length: > 0 }
            ? new WorkingCopySiblings(path)
            : throw new SourceException($"State directory {path} is a file system root; a working copy needs a parent folder to be replaced in");
    }

    /// <summary>A path for a new working copy that does not exist yet.</summary>
    public string NewIncoming() => Sibling(IncomingMarker);

    /// <summary>Folders a sync left behind when it was killed mid-clone or mid-swap; never a symlink.</summary>
    public IEnumerable<string> Leftovers()
    {
        var parent = Path.GetDirectoryName(WorkingCopy)!;
        if (!Directory.Exists(parent))
        {
            return [];
        }

        var name = Path.GetFileName(WorkingCopy);
        return new DirectoryInfo(parent).EnumerateDirectories(name + ".homelab-*")
            .Where(d => d.LinkTarget is null && (d.Name.StartsWith(name + IncomingMarker, StringComparison.Ordinal) || d.Name.StartsWith(name + OutgoingMarker, StringComparison.Ordinal)))
            .Select(d => d.FullName)
            .ToList();
    }

    /// <summary>
    /// Puts the complete working copy at <paramref name="incoming"/> in place of the current one, which is
    /// set aside and returned (null when there was none) for the caller to delete.
    /// </summary>
    public string? Swap(string incoming)
    {
        if (!Directory.Exists(WorkingCopy))
        {
            Directory.Move(incoming, WorkingCopy);
            return null;
        }

        var outgoing = Sibling(OutgoingMarker);
        Directory.Move(WorkingCopy, outgoing);
        try
        {
            Directory.Move(incoming, WorkingCopy);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Put the previous revision back, so a failed swap leaves it checked out.
            Directory.Move(outgoing, WorkingCopy);
            throw;
        }

        return outgoing;
    }

    private string Sibling(string marker) => WorkingCopy + marker + Guid.NewGuid().ToString("N")[..12];
}
