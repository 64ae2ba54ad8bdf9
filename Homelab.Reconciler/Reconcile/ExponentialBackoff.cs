namespace Homelab.Reconciler.Reconcile;

/// <summary>The one back-off rule of the loop and the drift watch: the first delay, doubled per further failure, capped.</summary>
internal static class ExponentialBackoff
{
    /// <summary>After <paramref name="failures"/> in a row: <paramref name="first"/> × 2^(failures − 1), at most <paramref name="cap"/> (the exponent stops at 15: no overflow).</summary>
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan cap)
    {
        var delay = first * Math.Pow(2, Math.Min(failures, 16) - 1);
        return delay < cap ? delay : cap;
    }
}
