using System.Threading.Channels;
using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Homelab.Reconciler.Telemetry;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Notifications;

/// <summary>
/// Turns outcomes and fights into transitions (<see cref="TransitionDetector"/>), logs each as a structured event (the
/// dashboard shows the same events) and, when a receiver is set, queues it for <see cref="NotificationSender"/>. Queuing never
/// waits: the queue is bounded and, when full, the oldest notification is dropped, counted and logged.
/// </summary>
public sealed class Notifier : IDisposable
{
    private readonly NotifyOptions _options;
    private readonly ReconcileStatus _status;
    private readonly ILogger<Notifier> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _fightQuiet;
    private readonly Channel<Notification> _queue;
    private readonly Lock _lock = new();
    private NotificationState _state = NotificationState.Initial;

    public Notifier(IOptions<NotifyOptions> options, IOptions<ReconcileOptions> reconcile, ReconcileStatus status, ILogger<Notifier> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reconcile);
        ArgumentNullException.ThrowIfNull(status);
        _options = options.Value;
        _status = status;
        _logger = logger;
        _time = time;
        // The drift watch forgives fights at each scheduled cycle and reports a fight again within its window: a fight
        // reported again within a few intervals is the one already told.
        _fightQuiet = (3 * reconcile.Value.Interval) + DriftWatcher.FightWindow;
        _queue = Channel.CreateBounded<Notification>(
            new BoundedChannelOptions(NotifyOptions.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            Dropped);
        _status.FightReported += OnFight;
    }

    /// <summary>What <see cref="NotificationSender"/> sends, in order.</summary>
    public ChannelReader<Notification> Queue => _queue.Reader;

    /// <summary>The provider the settings name (null: notifications are off).</summary>
    public NotifyProvider? Provider => _options.Enabled ? _options.Provider : null;

    /// <summary>A cycle ended: notifies when its outcome is a transition.</summary>
    public void Observe(ReconcileResult result)
    {
        Notification? notification;
        lock (_lock)
        {
            (_state, notification) = TransitionDetector.Observe(_state, result, _time.GetUtcNow());
        }

        Publish(notification);
    }

    private void OnFight(object? sender, FightReport fight)
    {
        Notification? notification;
        lock (_lock)
        {
            (_state, notification) = TransitionDetector.ObserveFight(_state, fight, _time.GetUtcNow(), _fightQuiet);
        }

        Publish(notification);
    }

    private void Publish(Notification? notification)
    {
        if (notification is null)
        {
            return;
        }

        var level = notification.Severity == NotificationSeverity.Failure ? LogLevel.Warning : LogLevel.Information;
        _logger.Log(
            level,
            "Notification {NotificationKind}: {Title}; reason {Reason}, revision {Revision}, object {Object}, file {File}: {Message}",
            notification.KindName,
            notification.Title,
            notification.Reason,
            notification.Revision,
            notification.Target,
            notification.File,
            notification.Message);
        if (Provider is not null)
        {
            _queue.Writer.TryWrite(notification);
        }
    }

    private void Dropped(Notification notification)
    {
        ReconcilerTelemetry.RecordNotification("dropped", ProviderName);
        _logger.LogWarning("Notification {NotificationKind} ({Title}) dropped: {Capacity} notifications already wait for the receiver", notification.KindName, notification.Title, NotifyOptions.QueueCapacity);
    }

    internal string ProviderName => Provider?.ToString().ToLowerInvariant() ?? "none";

    public void Dispose()
    {
        _status.FightReported -= OnFight;
        _queue.Writer.TryComplete();
    }
}
