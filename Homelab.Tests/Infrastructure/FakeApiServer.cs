using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A fake Kubernetes API server on loopback (plain http) for answers DCP cannot give: it has no core/v1, so
/// no pods, events or RBAC. It answers each path with what the test set (typically a real node's capture),
/// anything else with a 404 Status, and records every request with its query. Tests using it say so in
/// their names (<c>_FakeApiServer</c>).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (HttpStatusCode Status, JsonNode Body)> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly WebApplication _app;

    private FakeApiServer(WebApplication app) => _app = app;

    /// <summary>
    /// When set, answers every request by its path (no query) with a status and a JSON text, in place of the
    /// fixed answers: for answers that change from one poll to the next.
    /// </summary>
    public Func<string, (int Status, string Body)>? Responder { get; set; }

    /// <summary>Every request so far, as "METHOD /path?query" (query unescaped).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public Uri Address { get; private set; } = null!;

    public static async Task<FakeApiServer> StartAsync()
    {
        var server = new FakeApiServer(LoopbackWebApplication.Create());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.Address = LoopbackWebApplication.AddressOf(server._app);
        return server;
    }

    /// <summary>Answers <paramref name="method"/> on <paramref name="path"/> (any query) with <paramref name="body"/>.</summary>
    public FakeApiServer Answer(string method, string path, JsonNode body, HttpStatusCode status = HttpStatusCode.OK)
    {
        _answers[$"{method} {path}"] = (status, body);
        return this;
    }

    /// <summary>Answers a LIST of <paramref name="path"/> with <paramref name="items"/>.</summary>
    public FakeApiServer List(string path, IEnumerable<JsonObject> items) =>
        Answer("GET", path, new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. items.Select(i => i.DeepClone())]) });

    /// <summary>A client of this server, as the reconciler builds one from a kubeconfig.</summary>
    public KubeApi Connect() => new(new ClusterConnection(Address, Authority: null, SkipTlsVerify: false, TlsServerName: null, ClientCertificate: null, Credentials: null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}{Uri.UnescapeDataString(request.QueryString.Value ?? string.Empty)}");
        if (Responder is { } responder)
        {
            var (code, text) = responder(request.Path.Value ?? string.Empty);
            context.Response.StatusCode = code;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(text);
            return;
        }

        var (status, body) = _answers.TryGetValue($"{request.Method} {request.Path}", out var answer)
            ? answer
            : (HttpStatusCode.NotFound, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404, ["message"] = $"the server could not find the requested resource ({request.Path})" });
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
