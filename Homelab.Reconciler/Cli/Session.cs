using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
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
        Pipeline().RunAsync(skipWhenUnchanged: false, cancellationToken);

    /// <summary>The same pipeline as a reconcile, as a server dry run: fetch, build, the guards, then the apply and the prune planned.</summary>
    public Task<ReconcileResult> DiffAsync(CancellationToken cancellationToken) =>
        _api is null ? throw new KubeconfigException(KubeApi.NoCluster) : Pipeline().DiffAsync(cancellationToken);

    private ReconcilePipeline Pipeline() =>
        new(_source, new KustomizeBuilder(BuildLimits.Default), _api, _options, _loggers.CreateLogger<ReconcilePipeline>(), _progress);

    public void Dispose()
    {
        _api?.Dispose();
        _loggers.Dispose();
        _lock.Dispose();
    }
}
