using System.Threading.Channels;

namespace Homelab.Reconciler.Service;

/// <summary>
/// Asks the worker for a cycle now (webhook, drift, the dashboard's "Reconcile now"). Requests that
/// arrive while one is pending or a cycle runs coalesce into at most one more cycle.
/// </summary>
public sealed class ReconcileTrigger
{
    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Requests a cycle; false when one was already pending (coalesced). Never blocks: a full channel refuses the write.</summary>
    public bool Request(string reason) => _pending.Writer.TryWrite(reason);

    /// <summary>Waits for a request or for <paramref name="delay"/>; returns the request's reason, or null on timeout.</summary>
    public async Task<string?> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        try
        {
            return await _pending.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
