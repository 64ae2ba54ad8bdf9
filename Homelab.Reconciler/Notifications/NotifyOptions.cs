namespace Homelab.Reconciler.Notifications;

/// <summary>
/// Where notifications of transitions go, bound from <c>Reconciler:Notify:*</c> (environment <c>Reconciler__Notify__*</c>);
/// checked at start by <see cref="NotifyOptionsValidator"/>. Without a URL notifications are off (transitions are still logged).
/// </summary>
public sealed class NotifyOptions
{
    public const string Section = "Reconciler:Notify";

    /// <summary>How many notifications wait to be sent at most; when full, the oldest is dropped (counted and logged).</summary>
    public const int QueueCapacity = 64;

    /// <summary>Attempts per notification, the first included.</summary>
    public const int Attempts = 4;

    /// <summary>One attempt's limit, connection included: a receiver that accepts and never answers costs this, off the cycle.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the first retry; it doubles per further failure, up to <see cref="RetryCap"/>.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts.</summary>
    public static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(30);

    /// <summary>The receiver: an ntfy topic URL, a Gotify server, an Apprise API <c>/notify/&lt;key&gt;</c> URL or a webhook. <value>Default: none (off).</value></summary>
    public string? Url { get; set; }

    /// <summary><c>ntfy</c>, <c>gotify</c>, <c>apprise</c> or <c>webhook</c>; required with <see cref="Url"/>. <value>Default: none.</value></summary>
    public string? Kind { get; set; }

    /// <summary>
    /// File holding the token (a mounted Secret): ntfy's and the webhook's bearer token, Gotify's app token (required), Apprise's
    /// bearer token (for a proxy in front). Read at each send, so a rotated Secret is picked up; never logged. <value>Default: none.</value>
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>Notifications are sent (a URL is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The provider <see cref="Kind"/> names; null when it names none.</summary>
    public NotifyProvider? Provider => Kind?.Trim().ToLowerInvariant() switch
    {
        "ntfy" => NotifyProvider.Ntfy,
        "gotify" => NotifyProvider.Gotify,
        "apprise" => NotifyProvider.Apprise,
        "webhook" => NotifyProvider.Webhook,
        _ => null,
    };
}
