using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Inventory;

/// <summary>
/// Upgrading from a version that kept one <c>&lt;state&gt;/inventory.json</c>: testdata/legacy-inventory holds
/// that file as the reconciler before per-owner inventories wrote it (<c>reconcile --once</c> at 4625ba0^
/// against DCP), with its names and fingerprints as placeholders. The cycle runs on a real DCP and Git repository.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class LegacyInventoryTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private const string AnotherOwner = "0123456789abcdef";

    private static readonly string[] Names = ["a", "b", "c"];

    private static readonly string Template = File.ReadAllText(System.IO.Path.Combine(TestPaths.RepositoryRoot, "Homelab.Tests", "testdata", "legacy-inventory", "inventory.json"));

    [Fact]
    public async Task The_first_cycle_after_an_upgrade_prunes_what_left_git_labels_what_stays_and_spares_another_owners_object()
    {
        var prefix = Manifests.Prefix();
        using var api = dcp.Server.Connect();
        var discovery = new ApiDiscovery(api);
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Write($"{Path}/c.yaml", Yaml.Executable($"{prefix}-c"));
        var legacyRevision = repository.Commit("a, b and c");
        // As the older version left them: a and b with the managed-by label only (no owner label) and their
        // fingerprints recorded; c since adopted by another source or path.
        var built = new KustomizeBuilder(BuildLimits.Default).Build(repository.Root, Path);
        var legacy = await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([.. built.Where(o => !Name(o).EndsWith("-c", StringComparison.Ordinal))], dryRun: false, default);
        var adopted = await new ServerSideApplier(api, discovery, new ApplyOptions(Owner: AnotherOwner)).ApplyAsync([.. built.Where(o => Name(o).EndsWith("-c", StringComparison.Ordinal))], dryRun: false, default);
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var legacyFile = System.IO.Path.Combine(state, "inventory.json");
        await File.WriteAllTextAsync(legacyFile, LegacyFile(prefix, legacyRevision, legacy.Concat(adopted).Fingerprints()));

        // b and c leave Git in the very commit the upgraded reconciler first sees.
        repository.Delete($"{Path}/b.yaml").Delete($"{Path}/c.yaml").Commit("drop b and c");
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));
        var options = TestPipeline.Options(repository.Root, Path, state);
        var pipeline = TestPipeline.Create(options, api, loggers.CreateLogger<ReconcilePipeline>());
        var owner = options.Inventory(api.Server, NullLogger.Instance).Owner.Key;

        var upgraded = await pipeline.RunAsync(skipWhenUnchanged: false, default);

        Assert.True(upgraded.Ready, upgraded.Message);
        Assert.Equal(ChangeAction.Deleted, ChangeOf(upgraded, "b").Action);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-b"), "b, removed from Git, is still there");
        Assert.Equal(new Change(ChangeOf(upgraded, "c").Target, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.OwnedByAnother, AnotherOwner)), ChangeOf(upgraded, "c"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-c"));
        // a is unchanged by the fingerprint the old file recorded, but is written once to carry its owner.
        Assert.Equal((ChangeAction.Configured, "owner recorded"), (ChangeOf(upgraded, "a").Action, ChangeOf(upgraded, "a").Reason?.ToString()));
        Assert.Equal(owner, Ownership.Owner(await Live.GetExecutableAsync(api, $"{prefix}-a")));
        Assert.False(File.Exists(legacyFile));
        Assert.Single(await StateDirectory.EntriesAsync(state));
        Assert.Single(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains($"took over {legacyFile}", StringComparison.Ordinal));

        var next = await pipeline.RunAsync(skipWhenUnchanged: false, default);

        Assert.Equal(ChangeAction.Unchanged, ChangeOf(next, "a").Action);
        Assert.Single(logs.Lines, l => l.Contains("took over", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_first_owner_with_a_cluster_takes_it_over_and_observe_only_leaves_it()
    {
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var legacyFile = System.IO.Path.Combine(state, "inventory.json");
        await File.WriteAllTextAsync(legacyFile, LegacyFile("t0", "0000000000000000000000000000000000000000", new Dictionary<string, string>()));
        var first = new InventoryOwner("https://127.0.0.1:6443/", "https://example.org/home.git", "clusters/a");

        var observing = await new InventoryStore(state, first with { Cluster = string.Empty }, NullLogger.Instance).LoadAsync(default);
        Assert.Null(observing.Inventory);
        Assert.True(File.Exists(legacyFile));

        var taken = await new InventoryStore(state, first, NullLogger.Instance).LoadAsync(default);
        var second = await new InventoryStore(state, first with { Path = "clusters/b" }, NullLogger.Instance).LoadAsync(default);

        Assert.Equal(["t0-a", "t0-b", "t0-c"], taken.Inventory!.Entries.Select(e => e.Name));
        Assert.Null(taken.Problem);
        Assert.Null(second.Inventory);
        Assert.False(File.Exists(legacyFile));
    }

    [Fact]
    public async Task Diff_reads_an_older_versions_inventory_where_it_is_and_moves_nothing()
    {
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var legacyFile = System.IO.Path.Combine(state, "inventory.json");
        await File.WriteAllTextAsync(legacyFile, LegacyFile("t1", "0000000000000000000000000000000000000000", new Dictionary<string, string>()));
        var store = new InventoryStore(state, new InventoryOwner("https://127.0.0.1:6443/", "https://example.org/home.git", "clusters/a"), NullLogger.Instance);

        var read = await store.ReadAsync(default);

        Assert.Equal(["t1-a", "t1-b", "t1-c"], read.Inventory!.Entries.Select(e => e.Name));
        Assert.True(File.Exists(legacyFile));
        Assert.False(File.Exists(store.FilePath));
    }

    /// <summary>The older version's file for the objects <paramref name="prefix"/>-a, -b and -c.</summary>
    private static string LegacyFile(string prefix, string commit, IReadOnlyDictionary<string, string> fingerprints) =>
        Names.Aggregate(
            Template.Replace("{prefix}", prefix, StringComparison.Ordinal).Replace("{revision}", commit, StringComparison.Ordinal),
            (text, name) => text.Replace($"{{fingerprint-{name}}}", fingerprints.GetValueOrDefault(new ObjectReference(Manifests.DcpApiVersion, "Executable", null, $"{prefix}-{name}").Id, "0000000000000000"), StringComparison.Ordinal));

    private static Change ChangeOf(ReconcileResult result, string name) =>
        Assert.Single(result.Changes.Changes, c => c.Target.Name.EndsWith($"-{name}", StringComparison.Ordinal));

    private static string Name(System.Text.Json.Nodes.JsonObject manifest) => ObjectReference.Of(manifest).Name;
}
