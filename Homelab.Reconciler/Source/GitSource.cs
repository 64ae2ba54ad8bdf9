using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Source;

/// <summary>
/// Keeps a working copy of one Git ref in <see cref="GitSourceOptions.StateDirectory"/>, like
/// Flux's source-controller: it lists the remote refs first and fetches only when the tracked
/// commit is not already there, then checks out exactly that commit. A source on this machine is
/// read in place, so nothing is fetched from it (<see cref="SharedObjects"/>).
/// </summary>
/// <param name="options">Which repository and ref to track and where the working copy lives.</param>
/// <param name="logger">Receives progress; URLs are redacted and tokens never logged.</param>
public sealed class GitSource(GitSourceOptions options, ILogger<GitSource> logger)
{
    private const string RemoteName = "origin";

    // One sync at a time per instance: the work is synchronous libgit2 calls on one working copy.
    private readonly Lock _gate = new();

    /// <summary>
    /// Makes the working copy match the tracked ref's commit. Cheap when nothing moved (one
    /// ref listing, no fetch); follows force-pushes; removes files that are not in the commit.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the sync; a fetch under way is cancelled too.</param>
    /// <returns>The checked-out revision and whether it changed.</returns>
    /// <exception cref="SourceException">The sync failed; the previous working copy is left as it was when the remote could not be reached.</exception>
    public async Task<SourceArtifact> SyncAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StateDirectory);
        var remote = GitRemote.Parse(options.Url);
        var tracked = TrackedRef.Parse(options.Ref);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            // libgit2 has no connect timeout to set from here, so a hung connection is abandoned
            // rather than awaited; the lock keeps a later sync from overlapping with it.
            return await Task.Run(() => Sync(remote, tracked, timeout.Token), timeout.Token)
                .WaitAsync(timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"Sync of {UrlRedactor.Redact(remote.Url)} timed out after {options.Timeout.TotalSeconds:0}s");
        }
    }

    private SourceArtifact Sync(GitRemote remote, TrackedRef tracked, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = Path.GetFullPath(options.StateDirectory);
            var token = remote.IsHttp ? ReadToken() : null;
            var secrets = new[] { token, remote.Password };
            var credentials = Credentials(remote, token);
            if (remote.IsHttp && !string.IsNullOrWhiteSpace(options.CaFile))
            {
                // A private Git server's CA, trusted by libgit2 from here on (the file is checked at start too).
                GitCertificateAuthorities.Trust(options.CaFile, options.CaFileSetting);
            }

            try
            {
                string? previous;
                var shallow = ShallowClone.Applies(remote, tracked);
                using (var repository = OpenWorkingCopy(directory, remote, needsHistory: !shallow))
                {
                    previous = repository.Head.Tip?.Sha;

                    // List remote refs first: when the tracked sha is already here there is nothing to fetch.
                    var target = tracked.IsCommit
                        ? repository.Lookup<Commit>(tracked.Commit)
                        : PeelToCommit(repository.Lookup(ListRemote(remote, tracked, credentials)));
                    if (target is not null || !shallow)
                    {
                        return SyncInPlace(repository, directory, remote, tracked, credentials, previous, target, secrets, cancellationToken);
                    }
                }

                return SyncByShallowClone(directory, remote, tracked, credentials, previous, cancellationToken);
            }
            catch (LibGit2SharpException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Git sync was cancelled", ex, cancellationToken);
            }
            catch (LibGit2SharpException ex)
            {
                var hint = credentials is null && remote.IsHttp && ex.Message.Contains("authentication", StringComparison.OrdinalIgnoreCase)
                    ? $"; the repository asks for credentials and no token is set ({(string.IsNullOrEmpty(options.TokenEnvironmentVariable) ? string.Empty : options.TokenEnvironmentVariable + " or ")}a token file)"
                    : string.Empty;
                throw new SourceException($"Git sync of {tracked} from {UrlRedactor.Redact(remote.Url)} failed: {OneLine(ex.Message, secrets)}{hint}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SourceException($"Git sync of {tracked} from {UrlRedactor.Redact(remote.Url)} failed on the working copy {directory}: {OneLine(ex.Message, secrets)}");
            }
            catch (Exception ex) when (ex is not (SourceException or OperationCanceledException))
            {
                // Hostile input can surface as anything from the libgit2 wrappers; a sync fails with a value, never a crash.
                throw new SourceException($"Git sync of {tracked} from {UrlRedactor.Redact(remote.Url)} failed: {ex.GetType().Name}: {OneLine(ex.Message, secrets)}");
            }
        }
    }

    /// <summary>Fetches into the working copy when <paramref name="target"/> is not there yet, checks the commit, then checks it out in place.</summary>
    private SourceArtifact SyncInPlace(
        Repository repository,
        string directory,
        GitRemote remote,
        TrackedRef tracked,
        CredentialsHandler? credentials,
        string? previous,
        Commit? target,
        IEnumerable<string?> secrets,
        CancellationToken cancellationToken)
    {
        var fetched = false;
        if (target is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Fetch(repository, remote, tracked, credentials, cancellationToken);
            fetched = true;
            target = tracked.IsCommit
                ? repository.Lookup<Commit>(tracked.Commit)
                : PeelToCommit(repository.Refs[tracked.LocalName]?.ResolveToDirectReference()?.Target);
            if (target is null)
            {
                throw new SourceException(tracked.IsCommit
                    ? $"Commit {tracked.Commit} was not found in {UrlRedactor.Redact(remote.Url)}: it is on no branch or tag"
                    : NotACommit(remote, tracked)) { RemoteAnswered = true };
            }
        }

        var changed = !string.Equals(previous, target.Sha, StringComparison.Ordinal);

        // Before anything is written: a commit over a limit leaves the previous revision checked out.
        CommitTreeCheck.Check(repository, target, options.Limits);
        bool discarded;
        try
        {
            discarded = Update(repository, target, changed);
        }
        catch (LibGit2SharpException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A working tree libgit2 cannot walk (e.g. folders nested past its 100, left by an older
            // version or by hand) fails every checkout and status until it goes: start it afresh.
            logger.EmptyingWorkingTree(directory, OneLine(ex.Message, secrets));
            EmptyWorkingTree(directory);
            discarded = Update(repository, target, changed: true);
        }

        var artifact = Outcome(directory, tracked, previous, target.Sha, fetched);
        if (discarded && !changed)
        {
            logger.DiscardedLocalChanges(directory, artifact.Revision);
        }

        return artifact;
    }

    /// <summary>
    /// Clones the tracked branch's tip shallow beside the working copy, checks and checks it out there, then
    /// swaps it in: until the swap the previous revision stays checked out, so any failure leaves it.
    /// </summary>
    private SourceArtifact SyncByShallowClone(string directory, GitRemote remote, TrackedRef tracked, CredentialsHandler? credentials, string? previous, CancellationToken cancellationToken)
    {
        var siblings = WorkingCopySiblings.Of(directory);
        foreach (var leftover in siblings.Leftovers())
        {
            DeleteOwnFolder(leftover);
        }

        var incoming = siblings.NewIncoming();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            logger.CloningShallow(tracked, remote.Url, incoming);
            ShallowClone.Clone(incoming, remote, tracked, credentials, options.Limits, cancellationToken);
            string sha;
            using (var clone = new Repository(incoming))
            {
                KeepBytes(clone);
                var target = PeelToCommit(clone.Refs[tracked.LocalName]?.ResolveToDirectReference()?.Target)
                    ?? throw new SourceException(NotACommit(remote, tracked)) { RemoteAnswered = true };
                CommitTreeCheck.Check(clone, target, options.Limits);
                Update(clone, target, changed: true);
                sha = target.Sha;
            }

            // A sync that timed out must not replace the working copy behind its caller's back.
            cancellationToken.ThrowIfCancellationRequested();
            if (siblings.Swap(incoming) is { } outgoing)
            {
                DeleteOwnFolder(outgoing);
            }

            return Outcome(directory, tracked, previous, sha, fetched: true);
        }
        finally
        {
            if (Directory.Exists(incoming))
            {
                DeleteOwnFolder(incoming);
            }
        }
    }

    /// <summary>Logs the outcome of a sync that checked out <paramref name="sha"/> and describes it.</summary>
    private SourceArtifact Outcome(string directory, TrackedRef tracked, string? previous, string sha, bool fetched)
    {
        var revision = tracked.Revision(sha);
        var changed = !string.Equals(previous, sha, StringComparison.Ordinal);
        if (changed)
        {
            logger.CheckedOut(revision, previous ?? "nothing");
        }
        else
        {
            logger.Unchanged(revision);
        }

        return new SourceArtifact(revision, sha, directory, changed, fetched);
    }

    /// <summary>Deletes a folder this source made beside the working copy; one that will not go only costs space until the next sync.</summary>
    private void DeleteOwnFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LeftoverKept(path, OneLine(ex.Message, []));
        }
    }

    /// <summary>Opens the working copy, or starts a fresh one when there is none, it tracks another URL, or it is corrupt.</summary>
    /// <param name="directory">The working copy.</param>
    /// <param name="remote">The remote it must be a clone of.</param>
    /// <param name="needsHistory">Whether a shallow clone will not do: a tag or commit is fetched into it with its history.</param>
    private Repository OpenWorkingCopy(string directory, GitRemote remote, bool needsHistory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            // Never delete a directory that is not ours: a mistyped state path must not wipe data.
            if (!Directory.Exists(Path.Combine(directory, ".git")))
            {
                throw new SourceException($"State directory {directory} is not empty and holds no Git working copy; refusing to replace it with a clone of {UrlRedactor.Redact(remote.Url)}");
            }

            // Before opening (libgit2 reads alternates only then), and first: a local source that is gone fails the
            // sync here, rather than its missing objects making the working copy look broken and re-cloned.
            SharedObjects.Share(directory, remote);
            if (TryOpenExisting(directory, remote, needsHistory, out var reason) is { } existing)
            {
                return existing;
            }

            logger.Recloning(directory, reason);
            Directory.Delete(directory, recursive: true);
        }

        // remote.Url never holds credentials: GitRemote.Parse moved them out.
        logger.Cloning(remote.Url, directory);
        Directory.CreateDirectory(directory);
        Repository.Init(directory);
        SharedObjects.Share(directory, remote);
        var repository = new Repository(directory);
        repository.Network.Remotes.Add(RemoteName, remote.Url);
        KeepBytes(repository);
        return repository;
    }

    // The build must see the bytes of the commit, whatever the machine's global Git config says.
    private static void KeepBytes(Repository repository) => repository.Config.Set("core.autocrlf", false);

    /// <summary>Opens an existing working copy if it is a sound clone of <paramref name="remote"/>; otherwise says why not.</summary>
    private static Repository? TryOpenExisting(string directory, GitRemote remote, bool needsHistory, out string reason)
    {
        Repository? repository = null;
        try
        {
            repository = new Repository(directory);
            var url = repository.Network.Remotes[RemoteName]?.Url;
            if (!string.Equals(url, remote.Url, StringComparison.Ordinal))
            {
                reason = $"it is a clone of {UrlRedactor.Redact(url ?? "no remote")}, not {UrlRedactor.Redact(remote.Url)}";
                repository.Dispose();
                return null;
            }

            // Fetching a tag or an old commit into a shallow clone would stop at its shallow boundary.
            if (needsHistory && repository.Info.IsShallow)
            {
                reason = "it is a shallow clone (of a branch over https) and a tag or commit is fetched with its history";
                repository.Dispose();
                return null;
            }

            // A checked-out commit that is gone (pruned from the local source it was read from) wedges every checkout.
            if (!repository.Info.IsHeadUnborn && repository.Head.Tip is null)
            {
                reason = $"its checked-out commit {repository.Head.Reference.TargetIdentifier} is no longer there";
                repository.Dispose();
                return null;
            }

            // Reading HEAD's commit and tree fails on a broken ref or object store.
            _ = repository.Head.Tip?.Tree.Count;
            reason = string.Empty;
            return repository;
        }
        catch (LibGit2SharpException ex)
        {
            reason = $"it is corrupt: {OneLine(ex.Message, [])}";
            repository?.Dispose();
            return null;
        }
    }

    private static string ListRemote(GitRemote remote, TrackedRef tracked, CredentialsHandler? credentials)
    {
        var references = Repository.ListRemoteReferences(remote.Url, credentials);
        var match = references.FirstOrDefault(r => string.Equals(r.CanonicalName, tracked.RemoteName, StringComparison.Ordinal))
            ?? throw new SourceException($"Ref {tracked.RemoteName} was not found in {UrlRedactor.Redact(remote.Url)}") { RemoteAnswered = true };
        return match.TargetIdentifier;
    }

    private void Fetch(Repository repository, GitRemote remote, TrackedRef tracked, CredentialsHandler? credentials, CancellationToken cancellationToken)
    {
        logger.Fetching(tracked, remote.Url);
        var fetchOptions = new FetchOptions
        {
            CredentialsProvider = credentials,
            TagFetchMode = TagFetchMode.None,
            OnProgress = _ => !cancellationToken.IsCancellationRequested,
            OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
        };
        Commands.Fetch(repository, RemoteName, tracked.RefSpecs, fetchOptions, $"homelab: fetch {tracked}");
    }

    /// <summary>Checks out <paramref name="target"/> when it is new, then cleans; true if local changes were discarded.</summary>
    private static bool Update(Repository repository, Commit target, bool changed)
    {
        if (changed)
        {
            // Force: the working copy is ours, and after a force-push the old files must go.
            Commands.Checkout(repository, target, new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
        }

        return Clean(repository, target);
    }

    /// <summary>Deletes everything in the working tree but <c>.git</c>, so the next checkout writes every file anew.</summary>
    private static void EmptyWorkingTree(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            switch (entry)
            {
                case DirectoryInfo folder when folder.Name != ".git" && folder.LinkTarget is null:
                    folder.Delete(recursive: true);
                    break;
                case DirectoryInfo { Name: ".git" }:
                    break;
                default:
                    entry.Delete();
                    break;
            }
        }
    }

    /// <summary>Resets tracked files and deletes untracked and ignored ones; true if anything was off.</summary>
    private static bool Clean(Repository repository, Commit target)
    {
        var status = repository.RetrieveStatus(new StatusOptions
        {
            IncludeUntracked = true,
            IncludeIgnored = true,
            RecurseUntrackedDirs = true,
            RecurseIgnoredDirs = true,
            ExcludeSubmodules = true,
        });
        var stray = status.Where(e => e.State != FileStatus.Unaltered).ToList();
        if (stray.Count == 0)
        {
            return false;
        }

        repository.Reset(ResetMode.Hard, target);
        var root = repository.Info.WorkingDirectory;
        foreach (var entry in stray.Where(e => e.State.HasFlag(FileStatus.NewInWorkdir) || e.State.HasFlag(FileStatus.Ignored)))
        {
            var path = Path.GetFullPath(Path.Combine(root, entry.FilePath));
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        DeleteEmptyDirectories(root.TrimEnd(Path.DirectorySeparatorChar));
        return true;
    }

    // Git does not track directories, so deleting stray files can leave empty ones behind.
    private static void DeleteEmptyDirectories(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            if (Path.GetFileName(child) == ".git")
            {
                continue;
            }

            DeleteEmptyDirectories(child);
            if (!Directory.EnumerateFileSystemEntries(child).Any())
            {
                Directory.Delete(child);
            }
        }
    }

    private static string NotACommit(GitRemote remote, TrackedRef tracked) =>
        $"Ref {tracked.RemoteName} of {UrlRedactor.Redact(remote.Url)} does not point to a commit";

    private static Commit? PeelToCommit(GitObject? target)
    {
        // Annotated tags point to a tag object (possibly to another tag); follow them to the commit.
        while (target is TagAnnotation annotation)
        {
            target = annotation.Target;
        }

        return target as Commit;
    }

    private string? ReadToken()
    {
        if (!string.IsNullOrEmpty(options.TokenFile))
        {
            try
            {
                return File.ReadAllText(options.TokenFile).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SourceException($"Cannot read the Git token file {options.TokenFile}: {ex.GetType().Name}");
            }
        }

        // Unset means anonymous: a public repository needs no token (the cluster's Secret key is optional).
        return string.IsNullOrEmpty(options.TokenEnvironmentVariable)
            || Environment.GetEnvironmentVariable(options.TokenEnvironmentVariable) is not { Length: > 0 } token
            ? null
            : token.Trim();
    }

    private static CredentialsHandler? Credentials(GitRemote remote, string? token)
    {
        // A password in the URL wins over the configured token; "git" is accepted by GitHub, GitLab and Gitea.
        var password = remote.Password ?? token;
        if (!remote.IsHttp || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var userName = string.IsNullOrEmpty(remote.UserName) ? "git" : remote.UserName;
        return (_, _, _) => new UsernamePasswordCredentials { Username = userName, Password = password };
    }

    private static string OneLine(string message, IEnumerable<string?> secrets) =>
        UrlRedactor.Redact(message, secrets).ReplaceLineEndings(" ").Trim();
}
