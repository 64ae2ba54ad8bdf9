using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Telemetry;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Notifications;

/// <summary>
/// Sends queued notifications in the background, one at a time: each attempt bounded by <see cref="NotifyOptions.AttemptTimeout"/>,
/// up to <see cref="NotifyOptions.Attempts"/> attempts with exponential back-off. A dead receiver costs this loop time, never a
/// cycle. Nothing escapes it: a failure is logged and counted, and the next notification is sent.
/// </summary>
public sealed class NotificationSender(Notifier notifier, IOptions<NotifyOptions> options, ILogger<NotificationSender> logger) : BackgroundService
{
    // Its own client, made only when notifications are on (an idle reconciler without them stays small): the service
    // defaults' resilience handler would add retries and timeouts of its own.
    private HttpClient? _http;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (notifier.Provider is not { } provider || !Uri.TryCreate(settings.Url, UriKind.Absolute, out var url))
        {
            return;
        }

        logger.LogInformation("Notifications go to {Provider} at {Host}", notifier.ProviderName, url.Authority);
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = NotifyOptions.AttemptTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            await foreach (var notification in notifier.Queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await DeliverAsync(_http, provider, url, settings.TokenFile, notification, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // A bug: say so, and let the reconciler go on without notifications.
            logger.LogError(ex, "Notifications stopped");
        }
    }

    private async Task DeliverAsync(HttpClient http, NotifyProvider provider, Uri url, string? tokenFile, Notification notification, CancellationToken stoppingToken)
    {
        var problem = string.Empty;
        for (var attempt = 1; attempt <= NotifyOptions.Attempts; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(NotifyOptions.AttemptTimeout);
                var token = string.IsNullOrWhiteSpace(tokenFile) ? null : (await File.ReadAllTextAsync(tokenFile, timeout.Token).ConfigureAwait(false)).Trim();
                using var request = NotificationRequest.Create(provider, url, token, notification);
                using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    ReconcilerTelemetry.RecordNotification("sent", notifier.ProviderName);
                    logger.LogDebug("Notification {NotificationKind} sent ({Attempt}. attempt)", notification.KindName, attempt);
                    return;
                }

                problem = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The token never reaches a message: exceptions here name the host or the file, not its content.
                problem = ex is OperationCanceledException ? $"no answer within {NotifyOptions.AttemptTimeout.TotalSeconds:0} s" : $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
            }

            if (attempt < NotifyOptions.Attempts)
            {
                var delay = ExponentialBackoff.After(attempt, NotifyOptions.FirstRetry, NotifyOptions.RetryCap);
                logger.LogDebug("Notification {NotificationKind}: attempt {Attempt} failed ({Problem}); retrying in {Delay} s", notification.KindName, attempt, problem, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
        }

        ReconcilerTelemetry.RecordNotification("failed", notifier.ProviderName);
        logger.LogWarning("Notification {NotificationKind} ({Title}) not delivered to {Provider} at {Host} after {Attempts} attempts: {Problem}", notification.KindName, notification.Title, notifier.ProviderName, url.Authority, NotifyOptions.Attempts, problem);
    }

    public override void Dispose()
    {
        _http?.Dispose();
        base.Dispose();
    }
}
