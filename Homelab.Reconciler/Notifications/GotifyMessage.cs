namespace Homelab.Reconciler.Notifications;

/// <summary>Gotify's <c>POST /message</c> body (its <c>MessageExternal</c>): priority 0–10.</summary>
public sealed record GotifyMessage(string Title, string Message, int Priority);
