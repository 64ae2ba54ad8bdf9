namespace Homelab.Reconciler.Notifications;

/// <summary>How a notification should look: Apprise's <c>type</c>, ntfy's and Gotify's priority.</summary>
public enum NotificationSeverity
{
    Info,
    Success,
    Failure,
}
