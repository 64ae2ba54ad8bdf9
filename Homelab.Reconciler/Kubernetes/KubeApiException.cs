using System.Net;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>An API server's refusal, with its status and the message it gave (a Status object's message).</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode StatusCode { get; }

    internal static async Task<KubeApiException> FromResponseAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var reason = body;
        try
        {
            if (JsonNode.Parse(body) is JsonObject status && status["message"]?.GetValue<string>() is { Length: > 0 } message)
            {
                reason = message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object: keep the raw body.
        }

        var queryless = path.Split('?')[0];
        return new KubeApiException(response.StatusCode, $"{method} {queryless}: HTTP {(int)response.StatusCode}: {reason.Trim()}");
    }
}
