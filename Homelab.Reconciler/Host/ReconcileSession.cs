using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Host;

/// <summary>
/// What the loop holds while it reconciles: the state directory's lock, the connection (null: observe-only),
/// the pipeline and the drift watch. Started again from nothing after an unexpected failure.
/// </summary>
internal sealed class ReconcileSession(StateLock stateLock, KubeApi? api, ReconcilePipeline pipeline) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    public KubeApi? Api => api;

    public ReconcilePipeline Pipeline => pipeline;

    public DriftWatcher? Drift { get; private set; }

    /// <summary>Starts watching for drift; <paramref name="ended"/> is told if the watch ever ends before the session does.</summary>
    public void Watch(DriftWatcher drift, Action<string> ended)
    {
        Drift = drift;
        var token = _stopping.Token;
        _watching = Task.Run(() => drift.RunAsync(token), token).ContinueWith(
            t =>
            {
                if (!token.IsCancellationRequested)
                {
                    ended(t.Exception is { } ex ? $"the drift watch ended: {ex.GetBaseException().GetType().Name}: {ex.GetBaseException().Message}" : "the drift watch ended");
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stopping.Dispose();
        api?.Dispose();
        stateLock.Dispose();
    }
}
