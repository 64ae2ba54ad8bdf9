using Homelab.Reconciler.Status;

namespace Homelab.Reconciler.StatusPage;

/// <summary>
/// <c>GET /</c> and <c>HEAD /</c>: the status page, for anyone who can reach the port (no token: it only reads, and
/// nothing on it is secret). Never cached, never sniffed as anything but HTML, no script allowed to run.
/// </summary>
internal static class StatusPageEndpoint
{
    public static IEndpointConventionBuilder MapStatusPage(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpResponse response, ReconcileStatus status, TimeProvider time) =>
        {
            var headers = response.Headers;
            headers.ContentSecurityPolicy = StatusPageStyle.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Content(StatusPageWriter.Write(status.Snapshot(), time.GetUtcNow()), "text/html; charset=utf-8");
        });
}
