using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>Syncing over the network from a real <c>git daemon</c> on loopback (git://).</summary>
public sealed class GitSourceDaemonTests(GitDaemon daemon) : IClassFixture<GitDaemon>, IDisposable
{
    private readonly GitTestRepository _upstream = new(daemon.BasePath);

    [Fact]
    public async Task Clone_no_op_new_commit_and_force_push_over_git_protocol()
    {
        var first = _upstream.Commit("a.yaml", "a: 1\n");
        var source = Source();

        var cloned = await source.SyncAsync(CancellationToken.None);
        var unchanged = await source.SyncAsync(CancellationToken.None);
        var second = _upstream.Commit("b.yaml", "b: 1\n");
        var moved = await source.SyncAsync(CancellationToken.None);
        _upstream.ForcePushBack();
        var rewound = await source.SyncAsync(CancellationToken.None);

        Assert.Equal((first, true, true), (cloned.Commit, cloned.Changed, cloned.Fetched));
        Assert.Equal((first, false, false), (unchanged.Commit, unchanged.Changed, unchanged.Fetched));
        Assert.Equal((second, true, true), (moved.Commit, moved.Changed, moved.Fetched));
        Assert.Equal((first, true), (rewound.Commit, rewound.Changed));
        Assert.False(File.Exists(Path.Combine(rewound.WorkingDirectory, "b.yaml")));
    }

    [Fact]
    public async Task An_annotated_tag_over_git_protocol_is_peeled()
    {
        var tagged = _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Tag("v1", annotated: true);
        _upstream.Commit("a.yaml", "a: 2\n");

        var artifact = await Source("refs/tags/v1").SyncAsync(CancellationToken.None);

        Assert.Equal(tagged, artifact.Commit);
    }

    [Fact]
    public async Task A_commit_over_git_protocol_is_found_on_a_branch()
    {
        var first = _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Commit("a.yaml", "a: 2\n");

        var artifact = await Source(first).SyncAsync(CancellationToken.None);

        Assert.Equal(first, artifact.Commit);
    }

    private GitSource Source(string @ref = "main") =>
        new(new GitSourceOptions { Url = daemon.UrlOf(_upstream.Name), Ref = @ref, StateDirectory = _upstream.StateDirectory }, NullLogger<GitSource>.Instance);

    public void Dispose() => _upstream.Dispose();
}
