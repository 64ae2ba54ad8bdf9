namespace Homelab.Benchmarks.Report;

/// <summary>
/// One row of the report: our value, the peer's (kubectl) when there is one, and the target verdict.
/// <paramref name="Met"/> is null for rows without a target (context only).
/// </summary>
internal sealed record Measurement(
    string Scenario,
    string Metric,
    double Value,
    string Unit,
    double? Kubectl = null,
    string? Target = null,
    bool? Met = null,
    string? Note = null)
{
    /// <summary>kubectl time over ours: above 1 means we are faster.</summary>
    public double? Ratio => Kubectl is { } peer && Value > 0 ? peer / Value : null;
}
