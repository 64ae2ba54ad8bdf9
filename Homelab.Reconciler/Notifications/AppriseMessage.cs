namespace Homelab.Reconciler.Notifications;

/// <summary>Apprise API's <c>POST /notify/&lt;key&gt;</c> JSON body; <paramref name="Type"/> is <c>info</c>, <c>success</c> or <c>failure</c>.</summary>
public sealed record AppriseMessage(string Title, string Body, string Type);
