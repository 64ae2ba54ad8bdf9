using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Status;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>The notifier hears fights where the drift watch reports them (the status), and tells each once.</summary>
public sealed class NotifierTests
{
    [Fact]
    public async Task A_fight_reported_on_the_status_is_one_notification_however_often_it_is_reported_again()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var host = await NotifierHost.StartAsync(new NotifyOptions { Url = receiver.At("/hook").ToString(), Kind = "webhook" });
        var fight = new FightReport("Executable/web", "kubectl-edit", "Executable/web keeps being changed by someone else (kubectl-edit)");

        host.Status.ReportFight(fight);
        host.Status.ReportFight(fight);
        host.Status.ReportFight(fight with { Target = "Executable/db" });

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(receiver.Requests.Count >= 2)));
        // Sent in order, one at a time: a second notification for the same fight would be second here.
        Assert.Equal(["Executable/web", "Executable/db"], receiver.Bodies.Select(b => b["object"]!.GetValue<string>()));
        Assert.All(receiver.Bodies, b => Assert.Equal("fight-started", b["kind"]!.GetValue<string>()));
        Assert.Equal(fight.Message, receiver.Bodies[0]["message"]!.GetValue<string>());
        Assert.Equal(fight.Message, host.Status.Snapshot().Fight);
    }
}
