using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Reconcile;

/// <summary>
/// The pipeline on DCP, whose dry runs are stored: validation writes there, so the cycle is not failed for
/// it but says so, and the first time a warning says what it means.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class ReconcilePipelineDryRunTests(DcpFixture dcp)
{
    private const string Note = "; not validated before writing: the API server stores dry runs (it cannot create by apply, as DCP)";

    [Fact]
    public async Task Every_cycle_that_writes_says_it_was_not_validated_and_the_warning_comes_once()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));
        using var api = dcp.Server.Connect();
        var pipeline = TestPipeline.Create(repository.Root, api, loggers.CreateLogger<ReconcilePipeline>());

        var created = await pipeline.RunAsync(skipWhenUnchanged: false, default);
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a", seconds: 700)).Commit("a sleeps longer");
        var configured = await pipeline.RunAsync(skipWhenUnchanged: false, default);
        var unchanged = await pipeline.RunAsync(skipWhenUnchanged: false, default);

        Assert.True(created.Ready && configured.Ready && unchanged.Ready, $"{created.Message} | {configured.Message} | {unchanged.Message}");
        Assert.EndsWith("1 created" + Note, created.Message, StringComparison.Ordinal);
        Assert.EndsWith("1 configured" + Note, configured.Message, StringComparison.Ordinal);
        Assert.EndsWith("1 unchanged", unchanged.Message, StringComparison.Ordinal);
        Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("stores dry runs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_object_fails_the_cycle_and_says_its_siblings_dry_runs_may_have_been_stored()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a")).Write("clusters/test/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("a and b");
        using var api = dcp.Server.Connect();
        var pipeline = TestPipeline.Create(repository.Root, api, NullLogger<ReconcilePipeline>.Instance);
        Assert.True((await pipeline.RunAsync(skipWhenUnchanged: false, default)).Ready);

        // a changes; b's args are no list, which the server refuses in validation.
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a", seconds: 700))
            .Write("clusters/test/b.yaml", Yaml.Executable($"{prefix}-b").Replace("""args: ["600"]""", """args: "600" """, StringComparison.Ordinal))
            .Commit("a sleeps longer, b is broken");
        var failed = await pipeline.RunAsync(skipWhenUnchanged: false, default);

        Assert.False(failed.Ready);
        Assert.Equal(ReconcileReason.ReconciliationFailed, failed.Reason);
        Assert.Contains($"Executable/{prefix}-b", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith(Note, failed.Message, StringComparison.Ordinal);
        // What the note warns of: validation failed, yet a's dry run was stored.
        Assert.Equal("700", (await Live.GetExecutableAsync(api, $"{prefix}-a"))!["spec"]!["args"]![0]!.GetValue<string>());
    }
}
