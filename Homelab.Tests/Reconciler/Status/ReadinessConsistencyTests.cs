using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Homelab.Tests.Reconciler.Status;

/// <summary>
/// /ready pairs a cycle's blocker with that same cycle's message: the two were recorded and read in separate
/// lock sections, so a probe between them could say "Git unavailable" with a cycle's message that reached Git.
/// The window is a few instructions wide: this stress test guards the rule (one section, one read) but cannot
/// be relied on to catch the old code in its half second.
/// </summary>
public sealed class ReadinessConsistencyTests
{
    [Fact]
    public async Task Readiness_never_pairs_one_cycles_blocker_with_another_cycles_message()
    {
        var status = new ReconcileStatus();
        var check = new ReconcileReadinessCheck(status, new LoopLiveness(new ManualTimeProvider()), Options.Create(new ReconcileOptions()));
        var unreachable = Result("git unreachable") with { BlockedOn = Blocker.Git };
        var reached = Result("applied");
        var at = DateTimeOffset.UnixEpoch;
        status.Record(reached, at, at, observeOnly: false);

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                status.Record(unreachable, at, at, observeOnly: false);
                status.Record(reached, at, at, observeOnly: false);
            }
        });

        var mixed = new HashSet<string>(StringComparer.Ordinal);
        var probes = 0;
        while (!writer.IsCompleted)
        {
            var result = await check.CheckHealthAsync(new HealthCheckContext());
            var consistent = result.Status == HealthStatus.Unhealthy
                ? result.Description == "Git unavailable: git unreachable"
                : result.Description == "applied";
            if (!consistent)
            {
                mixed.Add($"{result.Status}: {result.Description}");
            }

            probes++;
        }

        await writer;
        Assert.True(probes > 100, $"only {probes} probes ran");
        Assert.Empty(mixed);
    }

    private static ReconcileResult Result(string message) =>
        ReconcileResult.Succeeded("main@sha1:1", message, ChangeSet.Empty, new Dictionary<string, int>(), 0);
}
