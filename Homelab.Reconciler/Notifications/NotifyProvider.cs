namespace Homelab.Reconciler.Notifications;

/// <summary>Where notifications go (<c>Reconciler:Notify:Kind</c>); each speaks its server's own API.</summary>
public enum NotifyProvider
{
    /// <summary>ntfy: the message text POSTed to the topic URL, title, priority and tags as headers.</summary>
    Ntfy,

    /// <summary>Gotify: JSON <c>{title, message, priority}</c> POSTed to <c>&lt;server&gt;/message</c>, the app token in <c>X-Gotify-Key</c>.</summary>
    Gotify,

    /// <summary>Apprise API: JSON <c>{title, body, type}</c> POSTed to <c>&lt;server&gt;/notify/&lt;key&gt;</c>.</summary>
    Apprise,

    /// <summary>Any receiver: the stable JSON schema of <see cref="WebhookPayload"/>.</summary>
    Webhook,
}
