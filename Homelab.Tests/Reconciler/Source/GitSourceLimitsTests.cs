using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// A commit over a <see cref="SourceLimits"/> cap fails the sync naming the cap and the file, is never
/// written to the working copy, and the next good commit (the revert) syncs with the same state directory;
/// from a local source none of it, nor the history the revert carries, is copied there.
/// </summary>
public sealed class GitSourceLimitsTests : IDisposable
{
    private readonly GitTestRepository _upstream = new();

    [Fact]
    public async Task Folders_nested_101_deep_are_refused_and_the_revert_syncs()
    {
        var deep = "c/" + string.Concat(Enumerable.Repeat("d/", 101));
        await AssertRefusedThenRevertSyncsAsync(SourceLimits.Default, () => _upstream.Commit(deep + "f.yaml", "x: 1\n"), "limit of 32", "c/d/d/");
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_and_the_revert_syncs()
    {
        // Made here, one byte over the default: big files are never committed to this repository.
        var big = new string('x', (int)SourceLimits.Default.MaxFileBytes + 1);
        await AssertRefusedThenRevertSyncsAsync(SourceLimits.Default, () => _upstream.Commit("c/big.yaml", big), "c/big.yaml", $"limit of {SourceLimits.Default.MaxFileBytes} bytes");
    }

    [Fact]
    public async Task More_files_than_the_limit_are_refused_and_the_revert_syncs()
    {
        var limits = new SourceLimits(MaxFiles: 20);
        await AssertRefusedThenRevertSyncsAsync(limits, () => CommitMany(30, 10), "more than 20 files", "c/many/");
    }

    [Fact]
    public async Task Files_adding_up_to_more_than_the_total_limit_are_refused_and_the_revert_syncs()
    {
        var limits = new SourceLimits(MaxTotalBytes: 4_000);
        await AssertRefusedThenRevertSyncsAsync(limits, () => CommitMany(5, 1_000), "limit of 4000 bytes in all", "c/many/");
    }

    [Fact]
    public async Task A_working_tree_libgit2_cannot_walk_is_emptied_and_checked_out_afresh()
    {
        var sha = _upstream.Commit("c/a.yaml", "a: 1\n");
        var source = Source(SourceLimits.Default);
        var workdir = (await source.SyncAsync(CancellationToken.None)).WorkingDirectory;

        // Past libgit2's 100 folders no status or checkout works: this is how a hostile commit used to wedge it.
        Directory.CreateDirectory(Path.Combine(workdir, "c", Path.Combine([.. Enumerable.Repeat("d", 101)])));
        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.False(Directory.Exists(Path.Combine(workdir, "c", "d")));
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(workdir, "c", "a.yaml")));
    }

    private async Task AssertRefusedThenRevertSyncsAsync(SourceLimits limits, Action commitHostile, params string[] expected)
    {
        var good = _upstream.Commit("c/a.yaml", "a: 1\n");
        var source = Source(limits);
        var workdir = (await source.SyncAsync(CancellationToken.None)).WorkingDirectory;
        commitHostile();

        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        foreach (var text in expected)
        {
            Assert.Contains(text, error.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(["a.yaml"], Directory.EnumerateFileSystemEntries(Path.Combine(workdir, "c")).Select(Path.GetFileName));

        GitTestRepository.Git(_upstream.AuthorPath, "revert", "--no-edit", "HEAD");
        GitTestRepository.Git(_upstream.AuthorPath, "push", "--quiet", "origin", "HEAD:main");
        var reverted = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(_upstream.Head(), reverted.Commit);
        Assert.NotEqual(good, reverted.Commit);
        Assert.Equal(["a.yaml"], Directory.EnumerateFileSystemEntries(Path.Combine(workdir, "c")).Select(Path.GetFileName));

        // Read in place: the refused commit, now in the revert's history, never reached the state directory.
        Assert.Empty(_upstream.CopiedObjects());
    }

    private void CommitMany(int count, int bytes)
    {
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_upstream.AuthorPath, "c", "many")).FullName, $"f{i:D3}.yaml"), new string('y', bytes));
        }

        _upstream.Commit("c/many/last.yaml", "z: 1\n");
    }

    private GitSource Source(SourceLimits limits) =>
        new(new GitSourceOptions { Url = _upstream.BarePath, StateDirectory = _upstream.StateDirectory, Limits = limits }, NullLogger<GitSource>.Instance);

    public void Dispose() => _upstream.Dispose();
}
