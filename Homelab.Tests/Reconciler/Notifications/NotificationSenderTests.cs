using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>The background sender: retries with back-off, gives up in bounded time, drops the oldest when the queue is full, logs every transition.</summary>
public sealed class NotificationSenderTests
{
    /// <summary>A failed build naming <c>f&lt;file&gt;.yaml</c>: a different file each is a transition each.</summary>
    internal static ReconcileResult Broken(int file) =>
        ReconcileResult.Failed(ReconcileReason.BuildFailed, $"f{file}.yaml: broken", Blocker.None, "abc") with { File = $"f{file}.yaml" };

    [Fact]
    public async Task A_receiver_that_answers_503_is_retried_until_it_takes_the_notification()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(failFirst: 2);
        await using var host = await NotifierHost.StartAsync(new NotifyOptions { Url = receiver.At("/hook").ToString(), Kind = "webhook" });

        host.Notifier.Observe(Broken(1));

        // Back-off 1 s, then 2 s: well within 20 s.
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(receiver.Requests.Count == 3)));
        Assert.Equal(3, receiver.Bodies.Count(b => b["file"]!.GetValue<string>() == "f1.yaml"));
        Assert.Contains(host.Logs.Lines, l => l.Contains("attempt 1 failed (HTTP 503 Service Unavailable); retrying in 1 s", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("attempt 2 failed (HTTP 503 Service Unavailable); retrying in 2 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closed_port_is_given_up_after_the_bounded_attempts_and_logged_without_the_token()
    {
        const string token = "tk_never-logged-0123456789";
        var url = $"http://127.0.0.1:{LoopbackPort.Unused()}/topic";
        await using var host = await NotifierHost.StartAsync(new NotifyOptions { Url = url, Kind = "ntfy", TokenFile = NotifyOptionsValidatorTests.TokenFileWith(token) });

        host.Notifier.Observe(Broken(1));

        // Four attempts, 1 + 2 + 4 s apart.
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(host.Logs.Lines.Any(l => l.Contains("not delivered", StringComparison.Ordinal)))));
        var given = Assert.Single(host.Logs.Lines, l => l.Contains("not delivered", StringComparison.Ordinal));
        Assert.Contains($"Notification failing (Homelab failing: BuildFailed in f1.yaml) not delivered to ntfy at 127.0.0.1:{new Uri(url).Port} after 4 attempts: HttpRequestException", given, StringComparison.Ordinal);
        Assert.DoesNotContain(token, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_and_says_so_each_time()
    {
        await using var host = await NotifierHost.StartAsync(new NotifyOptions { Url = "http://127.0.0.1:9/hook", Kind = "webhook" }, send: false);

        // Alternating files: every outcome is a transition.
        for (var i = 0; i < NotifyOptions.QueueCapacity + 6; i++)
        {
            host.Notifier.Observe(Broken(i));
        }

        Assert.Equal(NotifyOptions.QueueCapacity, host.Notifier.Queue.Count);
        Assert.True(host.Notifier.Queue.TryPeek(out var oldest));
        Assert.Equal("f6.yaml", oldest.File);
        var drops = host.Logs.Lines.Where(l => l.Contains("dropped", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, drops.Count);
        Assert.Contains("Notification failing (Homelab failing: BuildFailed in f0.yaml) dropped: 64 notifications already wait for the receiver", drops[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_transition_is_a_structured_log_event_even_with_notifications_off()
    {
        await using var host = await NotifierHost.StartAsync(new NotifyOptions(), send: false);

        host.Notifier.Observe(Broken(1));
        host.Notifier.Observe(Broken(1));

        var line = Assert.Single(host.Logs.Lines, l => l.Contains("Homelab.Reconciler.Notifications.Notifier", StringComparison.Ordinal));
        Assert.StartsWith("Warning Homelab.Reconciler.Notifications.Notifier: Notification failing: Homelab failing: BuildFailed in f1.yaml; reason BuildFailed, revision abc", line, StringComparison.Ordinal);
        Assert.Equal(0, host.Notifier.Queue.Count);
    }
}
