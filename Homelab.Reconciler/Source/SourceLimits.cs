namespace Homelab.Reconciler.Source;

/// <summary>
/// Caps on what one commit may hold, checked on its tree objects before anything is written to the
/// working copy: a commit over a cap fails the sync and the previous revision stays checked out.
/// </summary>
/// <param name="MaxDirectoryDepth">
/// Deepest folder nesting (a file at the root is at depth 0). Must stay below libgit2's own 100,
/// beyond which no later checkout or status of the working copy works.
/// <value>Defaults to 32; a homelab repository nests fewer than 10.</value>
/// </param>
/// <param name="MaxFiles">
/// Most files, symlinks, submodules and folders in the commit; folders count too so that the check
/// itself is bounded. <value>Defaults to 10,000, well above a homelab repository's few hundred.</value>
/// </param>
/// <param name="MaxFileBytes">
/// Largest single file. libgit2 holds a file in memory while it checks it out, so this bounds memory
/// under the published 128 MiB pod limit. The builder's own per-file cap (<c>BuildLimits.MaxFileBytes</c>,
/// 4 MiB) is smaller: files it never renders (docs, images) may be larger.
/// <value>Defaults to 16 MiB.</value>
/// </param>
/// <param name="MaxTotalBytes">
/// Sum of all file sizes. The checkout and the packed history share the published 256 MiB state volume.
/// <value>Defaults to 100 MiB.</value>
/// </param>
public sealed record SourceLimits(
    int MaxDirectoryDepth = 32,
    int MaxFiles = 10_000,
    long MaxFileBytes = 16 * 1024 * 1024,
    long MaxTotalBytes = 100 * 1024 * 1024)
{
    /// <summary>Room in a fetched pack beyond the files themselves: trees, commits, zlib's framing of incompressible data.</summary>
    public const long FetchHeadroomBytes = 16 * 1024 * 1024;

    /// <summary>The default limits.</summary>
    public static SourceLimits Default { get; } = new();

    /// <summary>
    /// Most bytes one shallow clone may receive: a tip within <see cref="MaxTotalBytes"/> fits, so more means
    /// a commit over it, and the clone stops there rather than let libgit2 index a pack of any size.
    /// </summary>
    public long MaxFetchBytes => MaxTotalBytes + FetchHeadroomBytes;
}
