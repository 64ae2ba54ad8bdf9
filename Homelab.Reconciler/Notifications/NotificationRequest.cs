using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Homelab.Reconciler.Notifications;

/// <summary>The HTTP request each provider's server accepts for one notification (checked against their documented APIs).</summary>
public static class NotificationRequest
{
    /// <param name="provider">Which server.</param>
    /// <param name="url">ntfy: the topic URL; Gotify: the server's base URL; Apprise: the <c>/notify/&lt;key&gt;</c> URL; webhook: as is.</param>
    /// <param name="token">The token, or null; Gotify's goes in <c>X-Gotify-Key</c>, the others' in <c>Authorization: Bearer</c>.</param>
    /// <param name="notification">What to say.</param>
    public static HttpRequestMessage Create(NotifyProvider provider, Uri url, string? token, Notification notification)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(notification);
        var request = provider switch
        {
            NotifyProvider.Ntfy => Ntfy(url, notification),
            NotifyProvider.Gotify => new HttpRequestMessage(HttpMethod.Post, new Uri(url.AbsoluteUri.TrimEnd('/') + "/message"))
            {
                Content = JsonContent.Create(new GotifyMessage(notification.Title, notification.Message, GotifyPriority(notification.Severity)), NotificationJson.Default.GotifyMessage),
            },
            NotifyProvider.Apprise => new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = JsonContent.Create(new AppriseMessage(notification.Title, notification.Message, notification.Severity.ToString().ToLowerInvariant()), NotificationJson.Default.AppriseMessage),
            },
            _ => new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(WebhookPayload.Of(notification), NotificationJson.Default.WebhookPayload) },
        };
        if (!string.IsNullOrEmpty(token))
        {
            if (provider == NotifyProvider.Gotify)
            {
                request.Headers.Add("X-Gotify-Key", token);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return request;
    }

    /// <summary>ntfy: the body is the message; title, priority (1–5) and tags (emoji short codes) are headers.</summary>
    private static HttpRequestMessage Ntfy(Uri url, Notification notification)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(notification.Message, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("Title", HeaderText(notification.Title));
        request.Headers.Add("Priority", notification.Severity == NotificationSeverity.Failure ? "4" : "3");
        request.Headers.Add("Tags", notification.Kind switch
        {
            NotificationKind.Failing or NotificationKind.WorkloadFailed => "rotating_light,homelab",
            NotificationKind.Recovered or NotificationKind.WorkloadRecovered => "white_check_mark,homelab",
            NotificationKind.FightStarted => "crossed_swords,homelab",
            _ => "package,homelab",
        });
        return request;
    }

    /// <summary>Header values are ASCII: anything else (a file name in another script) goes RFC 2047-encoded, which ntfy decodes.</summary>
    private static string HeaderText(string text) =>
        text.All(c => c is >= ' ' and <= '~') ? text : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}?=";

    /// <summary>Gotify's clients: 8 and up may be intrusive, 4–7 a normal notification.</summary>
    private static int GotifyPriority(NotificationSeverity severity) => severity switch
    {
        NotificationSeverity.Failure => 8,
        NotificationSeverity.Success => 5,
        _ => 4,
    };
}
