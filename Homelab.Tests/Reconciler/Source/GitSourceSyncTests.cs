using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>Syncing a branch from real local repositories: clone, no-op, new commit, force-push, restart.</summary>
public sealed class GitSourceSyncTests : IDisposable
{
    private readonly GitTestRepository _upstream = new();

    [Fact]
    public async Task First_sync_clones_the_branch()
    {
        var sha = _upstream.Commit("app/deployment.yaml", "kind: Deployment\n");

        var artifact = await Source(_upstream.BarePath).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.Equal($"main@sha1:{sha}", artifact.Revision);
        Assert.True(artifact.Changed);
        Assert.False(artifact.Fetched);
        Assert.Equal(Path.GetFullPath(_upstream.StateDirectory), artifact.WorkingDirectory);
        Assert.Equal("kind: Deployment\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "app/deployment.yaml")));
    }

    [Fact]
    public async Task A_local_source_is_read_in_place_so_nothing_is_fetched_or_copied()
    {
        var first = _upstream.Commit("a.yaml", "a: 1\n");
        var source = Source(_upstream.BarePath);
        var cloned = await source.SyncAsync(CancellationToken.None);
        var unchanged = await source.SyncAsync(CancellationToken.None);
        var second = _upstream.Commit("a.yaml", "a: 2\n");
        var moved = await source.SyncAsync(CancellationToken.None);

        Assert.Equal((first, true, false), (cloned.Commit, cloned.Changed, cloned.Fetched));
        Assert.Equal((first, false, false), (unchanged.Commit, unchanged.Changed, unchanged.Fetched));
        Assert.Equal((second, true, false), (moved.Commit, moved.Changed, moved.Fetched));
        Assert.Equal("a: 2\n", File.ReadAllText(Path.Combine(moved.WorkingDirectory, "a.yaml")));
        Assert.False(File.Exists(Path.Combine(_upstream.StateDirectory, ".git", "FETCH_HEAD")));
        Assert.Empty(_upstream.CopiedObjects());
    }

    [Fact]
    public async Task A_new_commit_is_checked_out()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        var source = Source(_upstream.BarePath);
        await source.SyncAsync(CancellationToken.None);
        var next = _upstream.Commit("a.yaml", "a: 2\n");

        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(next, artifact.Commit);
        Assert.True(artifact.Changed);
        Assert.Equal("a: 2\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
    }

    [Fact]
    public async Task A_force_push_backwards_checks_out_the_older_commit()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        var source = Source(_upstream.BarePath);
        await source.SyncAsync(CancellationToken.None);
        _upstream.Commit("b.yaml", "b: 1\n");
        await source.SyncAsync(CancellationToken.None);
        var older = _upstream.ForcePushBack();

        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(older, artifact.Commit);
        Assert.True(artifact.Changed);
        Assert.False(File.Exists(Path.Combine(artifact.WorkingDirectory, "b.yaml")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_force_push_to_an_unseen_history_is_followed(bool checkedOutCommitPruned)
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Commit("b.yaml", "b: 1\n");
        var source = Source(_upstream.BarePath);
        await source.SyncAsync(CancellationToken.None);
        _upstream.ForcePushBack();
        var rewritten = _upstream.Commit("c.yaml", "c: 1\n");
        if (checkedOutCommitPruned)
        {
            // The working copy reads the source's objects in place, so the commit it has checked out can vanish.
            GitTestRepository.Git(_upstream.BarePath, "reflog", "expire", "--expire=now", "--all");
            GitTestRepository.Git(_upstream.BarePath, "gc", "--quiet", "--prune=now");
        }

        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal((rewritten, true), (artifact.Commit, artifact.Changed));
        Assert.False(File.Exists(Path.Combine(artifact.WorkingDirectory, "b.yaml")));
        Assert.True(File.Exists(Path.Combine(artifact.WorkingDirectory, "c.yaml")));
    }

    [Fact]
    public async Task State_survives_a_new_instance_without_a_reclone()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        await Source(_upstream.BarePath).SyncAsync(CancellationToken.None);
        var marker = Path.Combine(_upstream.StateDirectory, ".git", "homelab-marker");
        File.WriteAllText(marker, "kept");

        var artifact = await Source(_upstream.BarePath).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.False(artifact.Changed);
        Assert.False(artifact.Fetched);
        Assert.True(File.Exists(marker), "a re-clone would have deleted .git");
    }

    [Fact]
    public async Task A_file_url_is_a_source()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");

        var artifact = await Source(new Uri(_upstream.BarePath).AbsoluteUri).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.True(File.Exists(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Empty(_upstream.CopiedObjects());
    }

    [Fact]
    public async Task A_non_bare_repository_path_is_a_source()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");

        var artifact = await Source(_upstream.AuthorPath).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.True(File.Exists(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Empty(_upstream.CopiedObjects());
    }

    [Fact]
    public async Task A_linked_worktree_is_a_source_read_in_place()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        var worktree = Path.Combine(Path.GetDirectoryName(_upstream.AuthorPath)!, "worktree");
        GitTestRepository.Git(_upstream.AuthorPath, "worktree", "add", "--quiet", "-b", "other", worktree);

        var artifact = await Source(worktree).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.True(File.Exists(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Empty(_upstream.CopiedObjects());
    }

    [Fact]
    public async Task A_missing_branch_fails_with_a_source_exception()
    {
        _upstream.Commit("a.yaml", "a: 1\n");

        var error = await Assert.ThrowsAsync<SourceException>(() => Source(_upstream.BarePath, "nope").SyncAsync(CancellationToken.None));

        Assert.Contains("refs/heads/nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_local_repository_fails_with_a_source_exception()
    {
        var missing = Path.Combine(_upstream.AuthorPath, "..", "missing.git");

        var error = await Assert.ThrowsAsync<SourceException>(() => Source(missing).SyncAsync(CancellationToken.None));

        Assert.Contains(Path.GetFullPath(missing), error.Message, StringComparison.Ordinal);
    }

    private GitSource Source(string url, string @ref = "main") =>
        new(new GitSourceOptions { Url = url, Ref = @ref, StateDirectory = _upstream.StateDirectory }, NullLogger<GitSource>.Instance);

    public void Dispose() => _upstream.Dispose();
}
