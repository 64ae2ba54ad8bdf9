using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Homelab.Tests.Infrastructure;

/// <summary>The service's notifier and its background sender, as the service wires them, with every log line captured.</summary>
internal sealed class NotifierHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly NotificationSender _sender;

    private NotifierHost(NotifyOptions options)
    {
        Logs = new CapturingLoggerProvider();
        _loggers = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Status = new ReconcileStatus();
        Notifier = new Notifier(Options.Create(options), Options.Create(new ReconcileOptions()), Status, _loggers.CreateLogger<Notifier>(), TimeProvider.System);
        _sender = new NotificationSender(Notifier, Options.Create(options), _loggers.CreateLogger<NotificationSender>());
    }

    public Notifier Notifier { get; }

    public ReconcileStatus Status { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Started with its sender running (<paramref name="send"/>), or with the queue left to fill.</summary>
    public static async Task<NotifierHost> StartAsync(NotifyOptions options, bool send = true)
    {
        var host = new NotifierHost(options);
        if (send)
        {
            await host._sender.StartAsync(CancellationToken.None);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.StopAsync(CancellationToken.None);
        _sender.Dispose();
        Notifier.Dispose();
        _loggers.Dispose();
        Logs.Dispose();
    }
}
