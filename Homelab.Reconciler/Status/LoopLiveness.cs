namespace Homelab.Reconciler.Status;

/// <summary>
/// Whether the reconcile loop can still recover by itself, for liveness (<c>/alive</c>). Every failure in a
/// cycle is a typed, retried cycle, so the loop beats at each cycle's start and end; it is not alive when it
/// has gone quiet longer than <see cref="Reconcile.ReconcileOptions.StallLimit"/> (stuck), or when the loop or
/// the drift watch has ended while the process runs on (a bug: only a restart helps).
/// </summary>
public sealed class LoopLiveness(TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _lastBeat = time.GetUtcNow();
    private string? _ended;
    private bool _idle;

    /// <summary>The loop started or finished a cycle (or skipped one while suspended).</summary>
    public void Beat()
    {
        lock (_lock)
        {
            _lastBeat = time.GetUtcNow();
        }
    }

    /// <summary>Nothing to reconcile (no source configured): a loop that rests on purpose is not stuck.</summary>
    public void Idle()
    {
        lock (_lock)
        {
            _idle = true;
        }
    }

    /// <summary>The loop or the drift watch ended although the process did not stop.</summary>
    public void Ended(string why)
    {
        lock (_lock)
        {
            _ended ??= why;
        }
    }

    /// <summary>Why the loop cannot recover by itself; null while it can.</summary>
    public string? Problem(TimeSpan stallLimit)
    {
        lock (_lock)
        {
            if (_ended is not null)
            {
                return _ended;
            }

            var quiet = time.GetUtcNow() - _lastBeat;
            return _idle || quiet <= stallLimit
                ? null
                : $"the reconcile loop has neither started nor finished a cycle for {quiet.TotalSeconds:0} s (limit {stallLimit.TotalSeconds:0} s, Reconciler:StallTimeout): it is stuck";
        }
    }
}
