using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Homelab.Reconciler.Source;
using Homelab.Reconciler.Status;

namespace Homelab.Reconciler.Triggers;

/// <summary>
/// GitHub's push webhook: the body's HMAC-SHA256 with the shared secret must match
/// <c>X-Hub-Signature-256</c> (constant-time compare); only a push to the tracked branch or tag acts. A
/// signed payload that is not a push event's shape is a 400, never a 500.
/// </summary>
internal static class GitHubWebhook
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> HandleAsync(HttpRequest request, string? secret, string trackedRef, ReconcileTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(trigger);
        if (request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (string.IsNullOrEmpty(secret) || !IsSigned(body, request.Headers["X-Hub-Signature-256"].ToString(), secret))
        {
            return Results.Json(new ApiMessage("missing or invalid X-Hub-Signature-256"), ApiJson.Default.ApiMessage, statusCode: StatusCodes.Status401Unauthorized);
        }

        var gitHubEvent = request.Headers["X-GitHub-Event"].ToString();
        if (gitHubEvent == "ping")
        {
            return Results.Ok(new ApiMessage("pong"));
        }

        if (gitHubEvent != "push")
        {
            return Results.Accepted(value: new ApiMessage($"ignored: event {gitHubEvent}"));
        }

        if (Push.Read(body) is not { } push)
        {
            return Results.BadRequest(new ApiMessage("the push payload is not a JSON object with a string \"ref\" (and a string \"after\", if any)"));
        }

        // Every form Reconciler:Ref accepts (main, refs/heads/main, refs/tags/v1, tag:v1, a commit) compares as the full ref.
        var tracked = TrackedRef.Parse(trackedRef);
        if (tracked.IsCommit)
        {
            return Results.Accepted(value: new ApiMessage($"ignored: tracking the fixed commit {tracked.Commit}"));
        }

        if (push.Ref != tracked.RemoteName)
        {
            return Results.Accepted(value: new ApiMessage($"ignored: push to {push.Ref}, tracking {tracked.RemoteName}"));
        }

        trigger.Request($"webhook: push {push.After}");
        return Results.Accepted(value: new ApiMessage($"reconciling {push.After}"));
    }

    /// <summary>The two fields of a push event the reconciler uses; null when the payload does not have them as strings.</summary>
    private sealed record Push(string Ref, string? After)
    {
        public static Push? Read(byte[] body)
        {
            try
            {
                using var payload = JsonDocument.Parse(body);
                var root = payload.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ref", out var pushed) || pushed.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                if (!root.TryGetProperty("after", out var after))
                {
                    return new Push(pushed.GetString()!, null);
                }

                return after.ValueKind == JsonValueKind.String ? new Push(pushed.GetString()!, after.GetString()) : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public static bool IsSigned(byte[] body, string signature, string secret)
    {
        const string prefix = "sha256=";
        if (!signature.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature[prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Reads at most 1 MiB; null when the body is larger (a chunked body has no Content-Length).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
