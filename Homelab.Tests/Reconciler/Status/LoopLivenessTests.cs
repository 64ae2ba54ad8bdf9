using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Homelab.Tests.Reconciler.Status;

/// <summary>The liveness rule: a loop that ended or went quiet past the stall limit cannot recover by itself; /alive says so in the log.</summary>
public sealed class LoopLivenessTests
{
    [Fact]
    public void A_loop_that_beats_is_alive_one_quiet_past_the_limit_or_ended_is_not_and_an_idle_one_rests()
    {
        // A manual clock: a GC pause on a loaded machine cannot make a fresh beat look stale.
        var limit = TimeSpan.FromMinutes(1);
        var time = new ManualTimeProvider();
        var loop = new LoopLiveness(time);
        Assert.Null(loop.Problem(limit));

        time.Advance(limit);
        Assert.Null(loop.Problem(limit));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("the reconcile loop has neither started nor finished a cycle for 61 s (limit 60 s, Reconciler:StallTimeout): it is stuck", loop.Problem(limit));
        loop.Beat();
        Assert.Null(loop.Problem(limit));

        var idle = new LoopLiveness(time);
        idle.Idle();
        time.Advance(limit * 2);
        Assert.Null(idle.Problem(limit));

        loop.Ended("the drift watch ended");
        loop.Beat();
        Assert.Equal("the drift watch ended", loop.Problem(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Liveness_logs_an_error_once_when_it_fails_and_once_when_it_recovers()
    {
        // The health-check service logs at Critical only (probe noise): this line is the restart's only explanation.
        var time = new ManualTimeProvider();
        var loop = new LoopLiveness(time);
        using var capture = new CapturingLoggerProvider();
        using var loggers = new LoggerFactory([capture], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var check = new ReconcileLivenessCheck(loop, Options.Create(new ReconcileOptions { StallTimeout = TimeSpan.FromMinutes(1) }), loggers.CreateLogger<ReconcileLivenessCheck>());
        var context = new HealthCheckContext();

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
        Assert.Empty(capture.Lines);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
        var failed = Assert.Single(capture.Lines);
        Assert.StartsWith("Error Homelab.Reconciler.Status.ReconcileLivenessCheck: Liveness (/alive) fails, so the pod will be restarted: the reconcile loop has neither started nor finished a cycle for 120 s", failed, StringComparison.Ordinal);

        loop.Beat();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context)).Status);
        Assert.Equal(2, capture.Lines.Count);
        Assert.StartsWith("Information Homelab.Reconciler.Status.ReconcileLivenessCheck: Liveness (/alive) passes again", capture.Lines.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_stall_limit_is_twice_the_longest_quiet_spell_of_a_healthy_loop()
    {
        // Interval 1 min (+20% jitter) + Git sync timeout 1 min + two 2-minute health waits, twice.
        Assert.Equal(TimeSpan.FromSeconds(2 * (72 + 60 + 240)), new ReconcileOptions().StallLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), new ReconcileOptions { StallTimeout = TimeSpan.FromSeconds(5) }.StallLimit);
    }
}
