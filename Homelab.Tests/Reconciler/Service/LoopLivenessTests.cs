using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Service;

namespace Homelab.Tests.Reconciler.Service;

/// <summary>The liveness rule: a loop that ended or went quiet past the stall limit cannot recover by itself.</summary>
public sealed class LoopLivenessTests
{
    [Fact]
    public async Task A_loop_that_beats_is_alive_one_quiet_past_the_limit_or_ended_is_not_and_an_idle_one_rests()
    {
        var limit = TimeSpan.FromMilliseconds(200);
        var loop = new LoopLiveness(TimeProvider.System);
        Assert.Null(loop.Problem(limit));

        await Task.Delay(limit * 2);
        Assert.Contains("neither started nor finished a cycle", loop.Problem(limit), StringComparison.Ordinal);
        loop.Beat();
        Assert.Null(loop.Problem(limit));

        var idle = new LoopLiveness(TimeProvider.System);
        idle.Idle();
        await Task.Delay(limit * 2);
        Assert.Null(idle.Problem(limit));

        loop.Ended("the drift watch ended");
        loop.Beat();
        Assert.Equal("the drift watch ended", loop.Problem(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_default_stall_limit_is_twice_the_longest_quiet_spell_of_a_healthy_loop()
    {
        // Interval 1 min (+20% jitter) + Git sync timeout 1 min + two 2-minute health waits, twice.
        Assert.Equal(TimeSpan.FromSeconds(2 * (72 + 60 + 240)), new ReconcileOptions().StallLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), new ReconcileOptions { StallTimeout = TimeSpan.FromSeconds(5) }.StallLimit);
    }
}
