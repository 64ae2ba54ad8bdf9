using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A real HTTP server (Kestrel) on a loopback port that records every request and answers 200 (after answering 503 to the
/// first <c>failFirst</c>): a notification receiver.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private LoopbackReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The JSON bodies received, in order (webhook, Gotify, Apprise).</summary>
    public IReadOnlyList<JsonObject> Bodies => [.. _requests.Select(r => (JsonObject)JsonNode.Parse(r.Body)!)];

    public static async Task<LoopbackReceiver> StartAsync(int failFirst = 0)
    {
        var app = LoopbackWebApplication.Create();
        LoopbackReceiver? receiver = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            receiver!._requests.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            context.Response.StatusCode = receiver._requests.Count <= failFirst ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        });
        await app.StartAsync();
        receiver = new LoopbackReceiver(app, LoopbackWebApplication.AddressOf(app));
        return receiver;
    }

    /// <summary>A URL on this server.</summary>
    public Uri At(string path) => new(Address, path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
