using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Homelab.Reconciler.Source;

/// <summary>
/// A depth-1 clone of a branch over http(s), nothing checked out, that stops once more than
/// <see cref="SourceLimits.MaxFetchBytes"/> has arrived: a commit far over the limits fails here, before
/// libgit2 has indexed a pack of any size, and a revert brings only its own tip, never the history that
/// holds what was refused. A clone, because <see cref="Commands.Fetch"/> drops <see cref="FetchOptions.Depth"/>
/// and only <see cref="Repository.Clone(string, string, CloneOptions)"/> hands it to libgit2.
/// </summary>
internal static class ShallowClone
{
    /// <summary>Whether <paramref name="tracked"/> on <paramref name="remote"/> is cloned shallow rather than fetched whole.</summary>
    /// <remarks>
    /// Not from a local path (libgit2 has no shallow local transport; it is read in place, see
    /// <see cref="SharedObjects"/>) nor over git:// (libgit2 breaks the shallow exchange there); not a tag
    /// (libgit2's clone checks out branches only) nor a pinned commit (it may be deep in history).
    /// </remarks>
    public static bool Applies(GitRemote remote, TrackedRef tracked) => remote.IsHttp && tracked.IsBranch;

    /// <summary>Clones the tip of <paramref name="tracked"/> into <paramref name="path"/>, which must not exist.</summary>
    /// <exception cref="SourceException">More than <see cref="SourceLimits.MaxFetchBytes"/> arrived.</exception>
    /// <exception cref="LibGit2SharpException">The clone failed otherwise, or was cancelled.</exception>
    public static void Clone(string path, GitRemote remote, TrackedRef tracked, CredentialsHandler? credentials, SourceLimits limits, CancellationToken cancellationToken)
    {
        var received = 0L;
        var fetch = new FetchOptions
        {
            Depth = 1,
            CredentialsProvider = credentials,
            TagFetchMode = TagFetchMode.None,
            OnProgress = _ => !cancellationToken.IsCancellationRequested,
            OnTransferProgress = progress =>
            {
                received = progress.ReceivedBytes;
                return !cancellationToken.IsCancellationRequested && received <= limits.MaxFetchBytes;
            },
        };
        try
        {
            Repository.Clone(remote.Url, path, new CloneOptions(fetch) { BranchName = tracked.Name, Checkout = false, RecurseSubmodules = false });
        }
        catch (LibGit2SharpException) when (received > limits.MaxFetchBytes && !cancellationToken.IsCancellationRequested)
        {
            // libgit2's clone takes the remote's default refspec, so every branch's tip arrives, not only the tracked one.
            throw new SourceException($"Clone of {tracked} from {UrlRedactor.Redact(remote.Url)} refused: the tips of its branches came to more than {limits.MaxFetchBytes} bytes, over the limit of {limits.MaxTotalBytes} bytes of files in all (plus {SourceLimits.FetchHeadroomBytes} for trees and compression); the clone stopped there and nothing of it was checked out") { RemoteAnswered = true };
        }
    }
}
