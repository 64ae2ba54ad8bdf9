using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Host;
using Homelab.Reconciler.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Homelab.Tests.Infrastructure;

/// <summary>The reconciler service (`run`) started in-process on a loopback port, with its real worker.</summary>
internal sealed class ReconcilerHost : IAsyncDisposable
{
    public const string ApiToken = "test-api-token-0123456789abcdef";
    public const string WebhookSecret = "test-webhook-secret-0123456789";

    private readonly WebApplication _app;

    private ReconcilerHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    /// <summary>The service's own services (its health checks, to read their descriptions).</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<ReconcilerHost> StartAsync(string source, string path, string? kubeconfig, TimeSpan interval, params string[] extra) =>
        StartAsync(source, path, kubeconfig, interval, configure: null, extra);

    public static async Task<ReconcilerHost> StartAsync(string source, string path, string? kubeconfig, TimeSpan interval, Action<WebApplicationBuilder>? configure, params string[] extra)
    {
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var app = ReconcilerService.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Reconciler:Source={source}",
            "--Reconciler:Ref=main",
            $"--Reconciler:Path={path}",
            $"--Reconciler:Kubeconfig={kubeconfig}",
            $"--Reconciler:StateDirectory={state}",
            $"--Reconciler:Interval={interval:c}",
            "--Reconciler:HealthTimeout=00:00:10",
            $"--Reconciler:ApiToken={ApiToken}",
            $"--Reconciler:WebhookSecret={WebhookSecret}",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ReconcilerHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async Task<JsonObject> StatusAsync() => (JsonNode.Parse(await Http.GetStringAsync(new Uri("/status", UriKind.Relative))) as JsonObject)!;

    /// <summary>A probe as the kubelet sends it: GET, only the status code counts.</summary>
    public async Task<HttpStatusCode> ProbeAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string? token = ApiToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PushWebhookAsync(string body, string? secret = WebhookSecret, string gitHubEvent = "push")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/github") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; returns how long it took, or null on timeout.</summary>
    public static async Task<TimeSpan?> WithinAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < limit)
        {
            if (await condition())
            {
                return started.Elapsed;
            }

            await Task.Delay(50);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
