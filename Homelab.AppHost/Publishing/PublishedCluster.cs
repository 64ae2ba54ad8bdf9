namespace Homelab.AppHost.Publishing;

/// <summary>What a publish produces for one cluster folder.</summary>
/// <param name="Generated">Files publish owns and rewrites every time (relative path -> content).</param>
/// <param name="Seeds">Files the user owns once they edit them (<see cref="SeedFile"/>).</param>
/// <param name="NodeFolders">Folders on the node that hostPath volumes point at, with their owners.</param>
internal sealed record PublishedCluster(
    SortedDictionary<string, string> Generated,
    IReadOnlyDictionary<string, SeedFile> Seeds,
    IReadOnlyList<NodeFolder> NodeFolders);
