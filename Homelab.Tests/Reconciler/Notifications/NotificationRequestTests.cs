using System.Text.Json.Nodes;
using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>
/// What each provider's server receives for one failure, recorded by a real HTTP server on loopback: the method, path, headers
/// and body their documented APIs accept (ntfy: publish by POST to the topic; Gotify: POST /message with X-Gotify-Key; Apprise
/// API: POST /notify/KEY with JSON title, body, type; the webhook: our versioned schema).
/// </summary>
public sealed class NotificationRequestTests
{
    private const string Token = "tk_notify-token-0123456789";
    private const string Revision = "0123456789abcdef0123456789abcdef01234567";
    private const string File = "clusters/test/b.yaml";

    private static readonly ReconcileResult BrokenPush =
        ReconcileResult.Failed(ReconcileReason.BuildFailed, $"{File}: line 3: did not find expected key", Blocker.None, Revision) with { File = File };

    /// <summary>Sends the failure to <paramref name="url"/> as <paramref name="kind"/>; the one request received, and the log.</summary>
    private static async Task<(ReceivedRequest Request, string Log)> SendAsync(LoopbackReceiver receiver, string kind, Uri url, string? token)
    {
        await using var host = await NotifierHost.StartAsync(new NotifyOptions { Url = url.ToString(), Kind = kind, TokenFile = token is null ? null : NotifyOptionsValidatorTests.TokenFileWith(token) });
        host.Notifier.Observe(BrokenPush);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(receiver.Requests.Count > 0)));
        return (Assert.Single(receiver.Requests), host.Logs.AllText);
    }

    [Fact]
    public async Task Ntfy_gets_the_message_posted_to_the_topic_with_title_priority_tags_and_a_bearer_token()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        var (request, log) = await SendAsync(receiver, "ntfy", receiver.At("/homelab-alerts"), Token);

        Assert.Equal(("POST", "/homelab-alerts"), (request.Method, request.Path));
        Assert.Equal($"Homelab failing: BuildFailed in {File}", request.Headers["Title"]);
        Assert.Equal("4", request.Headers["Priority"]);
        Assert.Equal("rotating_light,homelab", request.Headers["Tags"]);
        Assert.Equal($"Bearer {Token}", request.Headers["Authorization"]);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal($"{File}: line 3: did not find expected key", request.Body);
        Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gotify_gets_json_title_message_priority_at_its_message_endpoint_with_the_app_token_in_X_Gotify_Key()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        var (request, log) = await SendAsync(receiver, "gotify", receiver.At("/gotify/"), Token);

        Assert.Equal(("POST", "/gotify/message"), (request.Method, request.Path));
        Assert.Equal(Token, request.Headers["X-Gotify-Key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = (JsonObject)JsonNode.Parse(request.Body)!;
        Assert.Equal(["title", "message", "priority"], body.Select(p => p.Key));
        Assert.Equal($"Homelab failing: BuildFailed in {File}", body["title"]!.GetValue<string>());
        Assert.Equal($"{File}: line 3: did not find expected key", body["message"]!.GetValue<string>());
        Assert.Equal(8, body["priority"]!.GetValue<int>());
        Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apprise_api_gets_json_title_body_and_type_failure_at_the_notify_key_url()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        var (request, _) = await SendAsync(receiver, "apprise", receiver.At("/notify/homelab"), token: null);

        Assert.Equal(("POST", "/notify/homelab"), (request.Method, request.Path));
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = (JsonObject)JsonNode.Parse(request.Body)!;
        Assert.Equal(["title", "body", "type"], body.Select(p => p.Key));
        Assert.Equal($"Homelab failing: BuildFailed in {File}", body["title"]!.GetValue<string>());
        Assert.Equal($"{File}: line 3: did not find expected key", body["body"]!.GetValue<string>());
        Assert.Equal("failure", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_webhook_gets_every_member_of_schema_version_1_at_its_url_as_is()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        var (request, log) = await SendAsync(receiver, "webhook", receiver.At("/hooks/homelab?source=reconciler"), Token);

        Assert.Equal(("POST", "/hooks/homelab?source=reconciler"), (request.Method, request.Path));
        Assert.Equal($"Bearer {Token}", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = (JsonObject)JsonNode.Parse(request.Body)!;
        Assert.Equal(["version", "kind", "severity", "reason", "revision", "object", "file", "title", "message", "at"], body.Select(p => p.Key));
        Assert.Equal(1, body["version"]!.GetValue<int>());
        Assert.Equal(("failing", "failure", "BuildFailed", Revision, File), (body["kind"]!.GetValue<string>(), body["severity"]!.GetValue<string>(), body["reason"]!.GetValue<string>(), body["revision"]!.GetValue<string>(), body["file"]!.GetValue<string>()));
        Assert.Null(body["object"]);
        Assert.Equal($"{File}: line 3: did not find expected key", body["message"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(body["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
    }
}
