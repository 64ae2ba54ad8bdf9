using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// The parts one CLI verb needs, wired from its options; logs and progress go to stderr, so stdout
/// carries only the verb's data. It holds the state directory's lock while open. Without a cluster,
/// reconcile is observe-only (fetch and build) and diff fails with what to configure.
/// </summary>
internal sealed class Session : IDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly KubeApi? _api;
    private readonly GitSource _source;
    private readonly ReconcileOptions _options;
    private readonly IProgress<ApplyProgress>? _progress;
    private readonly StateLock _lock;

    private Session(ReconcileOptions options, TextWriter error, bool quiet, string verb)
    {
        _options = options;
        _lock = StateLock.TryAcquire(options.StateDirectory, verb, out var holder) ?? throw new IOException(holder);
        _loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information)
            .AddSimpleConsole(console => console.SingleLine = true)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        _progress = quiet ? null : new ProgressWriter(error);
        _api = KubeApi.Connect(options.Kubeconfig);
        _source = new GitSource(options.SourceOptions(), _loggers.CreateLogger<GitSource>());
    }

    /// <summary>Opens a session for <paramref name="verb"/>; fails with who holds the state directory when another process does.</summary>
    public static Session Open(ReconcileOptions options, TextWriter error, bool quiet, string verb) => new(options, error, quiet, verb);

    public Task<ReconcileResult> ReconcileAsync(CancellationToken cancellationToken) =>
        new ReconcilePipeline(_source, new KustomizeBuilder(BuildLimits.Default), _api, _options, _loggers.CreateLogger<ReconcilePipeline>(), _progress)
            .RunAsync(skipWhenUnchanged: false, cancellationToken);

    /// <summary>Fetch and build, then a server dry run of the apply and the prune.</summary>
    public async Task<ChangeSet> DiffAsync(CancellationToken cancellationToken)
    {
        var api = _api ?? throw new KubeconfigException(KubeApi.NoCluster);
        var artifact = await _source.SyncAsync(cancellationToken).ConfigureAwait(false);
        var objects = new KustomizeBuilder(BuildLimits.Default).Build(artifact.WorkingDirectory, _options.Path);
        var discovery = new ApiDiscovery(api);
        var store = _options.Inventory(api.Server, _loggers.CreateLogger<InventoryStore>());
        var loaded = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        var previous = await store.RebuildWhenMissingAsync(loaded, new InventoryRecovery(api, discovery), cancellationToken).ConfigureAwait(false);
        var applied = await new ServerSideApplier(api, discovery, new ApplyOptions(_options.Concurrency, Owner: store.Owner.Key, FormerOwner: store.Owner.FileKey), _progress, previous.Fingerprints).ApplyAsync(objects, dryRun: true, cancellationToken).ConfigureAwait(false);
        var current = new ObjectInventory(artifact.Revision, objects.Select(ObjectReference.Of).ToList());
        var pruned = await new Pruner(api, discovery, store.Owner.Key, formerOwner: store.Owner.FileKey).PruneAsync(current.Removed(previous), dryRun: true, cancellationToken).ConfigureAwait(false);
        return applied.Concat(pruned);
    }

    public void Dispose()
    {
        _api?.Dispose();
        _loggers.Dispose();
        _lock.Dispose();
    }
}
