using System.Threading.Channels;

namespace Homelab.Reconciler.Triggers;

/// <summary>
/// Asks the worker for a cycle now (webhook, drift, the dashboard's "Reconcile now"). Requests that
/// arrive while one is pending or a cycle runs coalesce into at most one more cycle.
/// </summary>
public sealed class ReconcileTrigger : IDisposable
{
    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _lock = new();
    private CancellationTokenSource _arrived = new();
    private string _lastReason = string.Empty;

    /// <summary>
    /// Cancelled when a request arrives after the cycle in progress began: its health wait ends then, so that
    /// a drift repair or a push never waits behind it.
    /// </summary>
    public CancellationToken Arrived
    {
        get
        {
            lock (_lock)
            {
                return _arrived.Token;
            }
        }
    }

    /// <summary>The reason of the latest request.</summary>
    public string LastReason
    {
        get
        {
            lock (_lock)
            {
                return _lastReason;
            }
        }
    }

    /// <summary>Requests a cycle; false when one was already pending (coalesced). Never blocks: a full channel refuses the write.</summary>
    public bool Request(string reason)
    {
        var written = _pending.Writer.TryWrite(reason);
        CancellationTokenSource arrived;
        lock (_lock)
        {
            _lastReason = reason;
            arrived = _arrived;
        }

        try
        {
            // On the thread pool: the cycle's continuations must not run on the caller's thread (a watch, a request).
            _ = arrived.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: no cycle waits any more.
        }

        return written;
    }

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
        finally
        {
            RearmArrived();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _arrived.Dispose();
        }
    }

    /// <summary>The next cycle begins: only requests from now on end its health wait, unless one is already pending.</summary>
    private void RearmArrived()
    {
        lock (_lock)
        {
            if (_arrived.IsCancellationRequested && _pending.Reader.Count == 0)
            {
                // The old source is left to the collector: a cycle may still hold its token.
                _arrived = new CancellationTokenSource();
            }
        }
    }
}
