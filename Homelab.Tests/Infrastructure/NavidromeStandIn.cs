using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A stand-in for Navidrome on loopback (Navidrome itself cannot run on this machine: no image, no
/// package). It follows Navidrome's documented semantics: <c>GET /ping</c> answers once the server is up;
/// <c>POST /auth/createAdmin {"username","password"}</c> is 200 while no user exists, 403 after.
/// </summary>
internal sealed class NavidromeStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _pings;
    private int _createAdminPosts;

    private NavidromeStandIn(WebApplication app) => _app = app;

    public ConcurrentQueue<(string User, string Password)> Users { get; } = new();

    /// <summary>False: the server is still starting (503 on every path).</summary>
    public bool Up { get; set; } = true;

    /// <summary>When set, createAdmin answers this status instead of following the rule.</summary>
    public int? CreateAdminFailsWith { get; set; }

    public int Pings => Volatile.Read(ref _pings);

    public int CreateAdminPosts => Volatile.Read(ref _createAdminPosts);

    public Uri BaseAddress => new(_app.Urls.First());

    public static async Task<NavidromeStandIn> StartAsync(bool up = true, params (string User, string Password)[] existingUsers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new NavidromeStandIn(app) { Up = up };
        foreach (var user in existingUsers)
        {
            standIn.Users.Enqueue(user);
        }

        app.MapGet("/ping", () =>
        {
            Interlocked.Increment(ref standIn._pings);
            return standIn.Up ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPost("/auth/createAdmin", async (HttpContext context) =>
        {
            Interlocked.Increment(ref standIn._createAdminPosts);
            if (!standIn.Up)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            if (standIn.CreateAdminFailsWith is { } status)
            {
                return Results.StatusCode(status);
            }

            if (!standIn.Users.IsEmpty)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            standIn.Users.Enqueue((body.RootElement.GetProperty("username").GetString()!, body.RootElement.GetProperty("password").GetString()!));
            return Results.Ok();
        });
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
