using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A fake Kubernetes API server on loopback (plain http) for what DCP cannot serve (core/v1, apps/v1, the service
/// proxy): each GET path (without its query) is answered by <see cref="Answer"/>; it records every path asked.
/// Tests using it say so in their names (<c>_FakeApiServer</c>).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeApiServer(WebApplication app, string kubeconfig)
    {
        _app = app;
        Kubeconfig = kubeconfig;
    }

    /// <summary>The answer (status, JSON body) to a GET of a path; (404, "") when the test has none.</summary>
    public Func<string, (int Status, string Body)> Answer { get; set; } = _ => (404, string.Empty);

    /// <summary>Every path asked, in order, without its query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A kubeconfig naming this server.</summary>
    public string Kubeconfig { get; }

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeApiServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("homelab-fake-api-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {address}
            contexts:
            - name: fake
              context:
                cluster: fake
            current-context: fake

            """);
        server = new FakeApiServer(app, kubeconfig);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        Requests.Enqueue(path);
        var (status, body) = Answer(path);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
