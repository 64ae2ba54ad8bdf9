using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>Tracking tags (annotated and lightweight) and fixed commits.</summary>
public sealed class GitSourceRefTests : IDisposable
{
    private readonly GitTestRepository _upstream = new();

    [Theory]
    [InlineData("refs/tags/v1", true)]
    [InlineData("tag:v1", true)]
    [InlineData("refs/tags/v1", false)]
    [InlineData("tag:v1", false)]
    public async Task A_tag_is_peeled_to_its_commit(string reference, bool annotated)
    {
        var tagged = _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Tag("v1", annotated);
        _upstream.Commit("a.yaml", "a: 2\n");

        var source = Source(reference);
        var artifact = await source.SyncAsync(CancellationToken.None);
        var again = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(tagged, artifact.Commit);
        Assert.Equal($"v1@sha1:{tagged}", artifact.Revision);
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.False(again.Changed);
        Assert.False(again.Fetched);
    }

    [Fact]
    public async Task A_moved_tag_is_followed()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Tag("v1", annotated: true);
        var source = Source("tag:v1");
        await source.SyncAsync(CancellationToken.None);
        var moved = _upstream.Commit("a.yaml", "a: 2\n");
        GitTestRepository.Git(_upstream.AuthorPath, "tag", "-f", "-a", "v1", "-m", "moved");
        GitTestRepository.Git(_upstream.AuthorPath, "push", "--quiet", "--force", "origin", "refs/tags/v1");

        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(moved, artifact.Commit);
        Assert.True(artifact.Changed);
    }

    [Fact]
    public async Task A_commit_is_checked_out_and_reported_as_sha1()
    {
        var first = _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Commit("a.yaml", "a: 2\n");

        var source = Source(first);
        var artifact = await source.SyncAsync(CancellationToken.None);
        var again = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(first, artifact.Commit);
        Assert.Equal($"sha1:{first}", artifact.Revision);
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.False(again.Changed);
        Assert.False(again.Fetched);
    }

    [Fact]
    public async Task An_unknown_commit_fails_with_a_source_exception()
    {
        _upstream.Commit("a.yaml", "a: 1\n");

        var error = await Assert.ThrowsAsync<SourceException>(() => Source(new string('a', 40)).SyncAsync(CancellationToken.None));

        Assert.Contains(new string('a', 40), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_branch_ref_is_tracked_like_its_short_name()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        var sha = _upstream.Commit("b.yaml", "b: 1\n", branch: "release");

        var artifact = await Source("refs/heads/release").SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.Equal($"release@sha1:{sha}", artifact.Revision);
    }

    private GitSource Source(string @ref) =>
        new(new GitSourceOptions { Url = _upstream.BarePath, Ref = @ref, StateDirectory = _upstream.StateDirectory }, NullLogger<GitSource>.Instance);

    public void Dispose() => _upstream.Dispose();
}
