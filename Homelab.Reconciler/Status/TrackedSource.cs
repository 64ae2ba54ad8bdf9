namespace Homelab.Reconciler.Status;

/// <summary>What the reconciler follows, as it may be shown to anyone: the URL carries no credentials.</summary>
/// <param name="Url">The Git URL without user-info, query or fragment, or the local repository's path.</param>
/// <param name="Ref">The branch, tag or commit followed.</param>
/// <param name="Path">The folder rendered, relative to the repository root.</param>
public sealed record TrackedSource(string Url, string Ref, string Path);
