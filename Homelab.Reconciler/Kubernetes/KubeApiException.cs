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

    public KubeApiException(HttpStatusCode statusCode, string message, ForbiddenRule? forbidden)
        : base(message)
    {
        StatusCode = statusCode;
        Forbidden = forbidden;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>For an RBAC refusal, the rule that is missing; otherwise null.</summary>
    public ForbiddenRule? Forbidden { get; }

    internal static async Task<KubeApiException> FromResponseAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var reason = body;
        ForbiddenRule? forbidden = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject status && status["message"]?.GetValue<string>() is { Length: > 0 } message)
            {
                // An RBAC refusal says which rule is missing, in RBAC's own terms.
                forbidden = response.StatusCode == HttpStatusCode.Forbidden ? ForbiddenRule.Parse(status) : null;
                reason = forbidden?.ToString() ?? message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object: keep the raw body.
        }

        var queryless = path.Split('?')[0];
        return new KubeApiException(response.StatusCode, $"{method} {queryless}: HTTP {(int)response.StatusCode}: {reason.Trim()}", forbidden);
    }
}
