namespace Homelab.Reconciler.Notifications;

/// <summary>
/// The generic webhook's body, version 1: every member is always present (null when unknown), camelCase; new members may be
/// added, none is renamed or removed without a new <see cref="Version"/>.
/// </summary>
/// <param name="Version">The schema's version: 1.</param>
/// <param name="Kind"><c>revision-applied</c>, <c>failing</c>, <c>recovered</c>, <c>workload-failed</c>, <c>workload-recovered</c> or <c>fight-started</c>.</param>
/// <param name="Severity"><c>info</c>, <c>success</c> or <c>failure</c>.</param>
/// <param name="Reason">The cycle's typed reason (<c>BuildFailed</c>, <c>ReconciliationSucceeded</c>, …) or <c>Fight</c>.</param>
/// <param name="Revision">The commit attempted or applied, or null.</param>
/// <param name="Target">Written as <c>object</c>: the object it names (<c>Kind/namespace/name</c>), or null.</param>
/// <param name="File">The file it names (relative to the repository root), or null.</param>
/// <param name="Title">A short title.</param>
/// <param name="Message">One line for people.</param>
/// <param name="At">When, ISO 8601 with offset.</param>
public sealed record WebhookPayload(int Version, string Kind, string Severity, string Reason, string? Revision, [property: System.Text.Json.Serialization.JsonPropertyName("object")] string? Target, string? File, string Title, string Message, DateTimeOffset At)
{
    public static WebhookPayload Of(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new(1, notification.KindName, notification.Severity.ToString().ToLowerInvariant(), notification.Reason, notification.Revision, notification.Target, notification.File, notification.Title, notification.Message, notification.At);
    }
}
