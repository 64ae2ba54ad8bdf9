namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when a test says so: a rule about elapsed time is tested without the real clock,
/// which a loaded machine's GC pauses move. Only the time is manual; timers are the system's.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
