using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Reconcile;

/// <summary>The pipeline on a real DCP and a real Git repository: what an idle scheduled cycle costs.</summary>
[Collection(DcpCollection.Name)]
public sealed class ReconcilePipelineTests(DcpFixture dcp)
{
    [Fact]
    public async Task An_idle_scheduled_cycle_stops_after_ls_remote_with_no_api_request_and_a_new_commit_still_applies()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var api = dcp.Server.Connect();
        var pipeline = TestPipeline.Create(repository.Root, api, NullLogger<ReconcilePipeline>.Instance);
        Assert.True((await pipeline.RunAsync(skipWhenUnchanged: true, default)).Ready);

        var requests = api.Requests;
        var idle = await pipeline.RunAsync(skipWhenUnchanged: true, default);
        Assert.True(idle.Ready);
        Assert.Equal(0, api.Requests - requests);
        Assert.Contains("unchanged", idle.Message, StringComparison.Ordinal);
        Assert.Equal(1, idle.Inventory!["Executable"]);

        // Not allowed to skip (a trigger, the CLI): a full cycle, one list, no write.
        var writes = api.Writes;
        var full = await pipeline.RunAsync(skipWhenUnchanged: false, default);
        Assert.Equal(1, ChangeActionCount(full, Homelab.Reconciler.Apply.ChangeAction.Unchanged));
        Assert.Equal(writes, api.Writes);

        repository.Write("clusters/test/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        var moved = await pipeline.RunAsync(skipWhenUnchanged: true, default);
        Assert.Equal(1, ChangeActionCount(moved, Homelab.Reconciler.Apply.ChangeAction.Created));
    }

    [Fact]
    public async Task Observe_only_with_an_unreadable_inventory_says_nothing_is_rebuilt_rather_than_rebuilding_it()
    {
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        var options = TestPipeline.Options(repository.Root);
        var inventory = options.Inventory(null, NullLogger.Instance).FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(inventory)!);
        await File.WriteAllTextAsync(inventory, "{ not json");
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));

        var result = await TestPipeline.Create(options, api: null, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);

        Assert.True(result.Ready, result.Message);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("observe-only (no cluster), so nothing is rebuilt or pruned", StringComparison.Ordinal));
        Assert.DoesNotContain("from the cluster", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_adopted_from_another_source_are_one_warning_naming_the_first_few_not_one_per_object()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        foreach (var name in Enumerable.Range(0, 8))
        {
            repository.Write($"clusters/test/{name}.yaml", Yaml.Executable($"{prefix}-{name}"));
        }

        repository.Commit("eight objects");
        using var api = dcp.Server.Connect();
        Assert.True((await TestPipeline.Create(repository.Root, api, NullLogger<ReconcilePipeline>.Instance).RunAsync(skipWhenUnchanged: false, default)).Ready);
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));

        // The same repository by another URL is another source: it adopts all eight.
        var adopted = await TestPipeline.Create(new Uri(repository.Root).AbsoluteUri, api, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);

        Assert.True(adopted.Ready, adopted.Message);
        var warning = Assert.Single(logs.Lines, l => l.Contains("adopted from another source or path", StringComparison.Ordinal));
        Assert.Contains("8 object(s) adopted", warning, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-0", warning, StringComparison.Ordinal);
        Assert.Contains("and 3 more", warning, StringComparison.Ordinal);
    }

    private static int ChangeActionCount(ReconcileResult result, Homelab.Reconciler.Apply.ChangeAction action) => result.Changes.Count(action);
}
