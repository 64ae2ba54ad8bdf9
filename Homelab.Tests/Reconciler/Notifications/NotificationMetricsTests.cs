using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Telemetry;
using Homelab.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>Every notification's fate is counted (<c>homelab.notifications</c>, by result and provider), captured with OpenTelemetry's in-memory exporter.</summary>
public sealed class NotificationMetricsTests
{
    [Fact]
    public async Task Sent_failed_and_dropped_notifications_are_counted_by_result_and_provider()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ReconcilerTelemetry.Name).AddInMemoryExporter(metrics).Build();
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using (var sent = await NotifierHost.StartAsync(new NotifyOptions { Url = receiver.At("/notify/homelab").ToString(), Kind = "apprise" }))
        {
            sent.Notifier.Observe(NotificationSenderTests.Broken(1));
            // Counted once the answer is read, a moment after the receiver has the request.
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(sent.Logs.Lines.Any(l => l.Contains("Notification failing sent", StringComparison.Ordinal)))));
        }

        await using (var dropped = await NotifierHost.StartAsync(new NotifyOptions { Url = "http://127.0.0.1:9/hook", Kind = "webhook" }, send: false))
        {
            for (var i = 0; i <= NotifyOptions.QueueCapacity; i++)
            {
                dropped.Notifier.Observe(NotificationSenderTests.Broken(i));
            }
        }

        await using (var failed = await NotifierHost.StartAsync(new NotifyOptions { Url = $"http://127.0.0.1:{LoopbackPort.Unused()}/topic", Kind = "ntfy" }))
        {
            failed.Notifier.Observe(NotificationSenderTests.Broken(1));
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(failed.Logs.Lines.Any(l => l.Contains("not delivered", StringComparison.Ordinal)))));
        }

        meters!.ForceFlush();
        var counted = new Dictionary<(string Result, string Provider), long>();
        foreach (ref readonly var point in Assert.Single(metrics, m => m.Name == "homelab.notifications").GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            counted[((string)tags["result"]!, (string)tags["provider"]!)] = point.GetSumLong();
        }

        Assert.True(counted.GetValueOrDefault(("sent", "apprise")) >= 1, string.Join(", ", counted.Select(c => $"{c.Key}={c.Value}")));
        Assert.True(counted.GetValueOrDefault(("dropped", "webhook")) >= 1, string.Join(", ", counted.Select(c => $"{c.Key}={c.Value}")));
        Assert.True(counted.GetValueOrDefault(("failed", "ntfy")) >= 1);
    }
}
