namespace Homelab.Reconciler.Source;

/// <summary>The outcome of one sync: the commit that is checked out and where.</summary>
/// <param name="Revision">The revision as Flux spells it, e.g. <c>main@sha1:&lt;40hex&gt;</c>, or <c>sha1:&lt;40hex&gt;</c> when a commit is tracked.</param>
/// <param name="Commit">The 40-hex sha of the checked-out commit.</param>
/// <param name="WorkingDirectory">The directory that holds exactly that commit's files.</param>
/// <param name="Changed">Whether the commit differs from the one checked out before this sync.</param>
/// <param name="Fetched">Whether this sync fetched from the remote; never from a source on this machine, which is read in place.</param>
public sealed record SourceArtifact(string Revision, string Commit, string WorkingDirectory, bool Changed, bool Fetched);
