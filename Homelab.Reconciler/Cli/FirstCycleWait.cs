using System.Diagnostics;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// After bootstrap applied <c>homelab-system</c>, waits (bounded) for the in-cluster reconciler to report its first
/// cycle, as <c>flux bootstrap</c> waits for Ready: its <c>/status</c> read through the API server's service proxy,
/// once the Deployment's rollout is current (so an older pod's status is never taken for the new one's). While
/// waiting, a pod that cannot start is reported with its reason (ImagePullBackOff, CrashLoopBackOff, Unschedulable).
/// </summary>
internal static class FirstCycleWait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static async Task<FirstCycle> WaitAsync(KubeApi api, ReconcilerDeployment reconciler, TimeSpan timeout, TimeSpan poll, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(reconciler);
        ArgumentNullException.ThrowIfNull(progress);
        var elapsed = Stopwatch.StartNew();
        string? seen = null;
        string? podProblem = null;
        while (true)
        {
            string? now;
            if (!await RolloutCurrentAsync(api, reconciler, cancellationToken).ConfigureAwait(false))
            {
                now = $"deployment {reconciler.Namespace}/{reconciler.Name} is rolling out";
            }
            else if (reconciler.StatusPath is null)
            {
                now = $"no Service selects the pods of {reconciler.Namespace}/{reconciler.Name}: its status cannot be read";
            }
            else
            {
                var (status, problem) = await StatusAsync(api, reconciler.StatusPath, cancellationToken).ConfigureAwait(false);
                if (status?["lastReconcileAt"] is JsonValue)
                {
                    return new FirstCycle(
                        true,
                        status["ready"] is JsonValue ready && ready.TryGetValue<bool>(out var isReady) && isReady,
                        Text(status["lastAttemptedRevision"]),
                        Text(status["reason"]) ?? "Unknown",
                        Text(status["message"]) ?? string.Empty,
                        null);
                }

                now = problem ?? $"the reconciler has not finished its first cycle ({Text(status?["reason"])}: {Text(status?["message"])})";
            }

            podProblem = await PodProblemAsync(api, reconciler, cancellationToken).ConfigureAwait(false);
            now = podProblem ?? now;
            if (now != seen)
            {
                await progress.WriteLineAsync($"waiting: {now}").ConfigureAwait(false);
                seen = now;
            }

            if (elapsed.Elapsed >= timeout)
            {
                return new FirstCycle(false, false, null, "Timeout", $"no cycle reported within {timeout:c}; last seen: {now}", podProblem);
            }

            await Task.Delay(Min(poll, timeout - elapsed.Elapsed), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The Deployment has seen its latest spec and every pod it runs is of it.</summary>
    private static async Task<bool> RolloutCurrentAsync(KubeApi api, ReconcilerDeployment reconciler, CancellationToken cancellationToken)
    {
        try
        {
            var deployment = await api.GetAsync($"/apis/apps/v1/namespaces/{reconciler.Namespace}/deployments/{reconciler.Name}", cancellationToken).ConfigureAwait(false);
            var generation = Number(deployment?["metadata"]?["generation"]);
            var observed = Number(deployment?["status"]?["observedGeneration"]);
            var replicas = Number(deployment?["status"]?["replicas"]) ?? 0;
            var updated = Number(deployment?["status"]?["updatedReplicas"]) ?? 0;
            return generation is not null && observed >= generation && updated >= 1 && replicas == updated;
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The reconciler's /status, or why it could not be read (no ready endpoint yet, a refusal).</summary>
    private static async Task<(JsonObject? Status, string? Problem)> StatusAsync(KubeApi api, string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.GetAsync(path, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            return (null, $"the reconciler's status is not reachable yet ({ex.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>Why a pod of the reconciler does not run: a waiting container's reason and message, or why it is not scheduled.</summary>
    private static async Task<string?> PodProblemAsync(KubeApi api, ReconcilerDeployment reconciler, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await api.GetAsync($"/api/v1/namespaces/{reconciler.Namespace}/pods?labelSelector={Uri.EscapeDataString(reconciler.PodSelector)}", cancellationToken).ConfigureAwait(false);
            return (pods?["items"]?.AsArray() ?? []).OfType<JsonObject>()
                .Where(p => p["metadata"]?["deletionTimestamp"] is null)
                .Select(PodProblem)
                .FirstOrDefault(p => p is not null);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>One pod's problem, as <c>pod NAME: REASON: MESSAGE</c>; null while it runs or merely starts.</summary>
    internal static string? PodProblem(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var name = Text(pod["metadata"]?["name"]);
        var statuses = (pod["status"]?["initContainerStatuses"]?.AsArray() ?? []).Concat(pod["status"]?["containerStatuses"]?.AsArray() ?? []).OfType<JsonObject>();
        foreach (var container in statuses)
        {
            if (container["state"]?["waiting"] is JsonObject waiting && Text(waiting["reason"]) is { } reason && reason is not ("ContainerCreating" or "PodInitializing"))
            {
                var message = Text(waiting["message"]) ?? Text(container["lastState"]?["terminated"]?["message"]) ?? Text(container["lastState"]?["terminated"]?["reason"]);
                return $"pod {name}: {reason}" + (message is null ? string.Empty : $": {message.ReplaceLineEndings(" ")}");
            }
        }

        var unscheduled = (pod["status"]?["conditions"]?.AsArray() ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["type"]) == "PodScheduled" && Text(c["status"]) == "False");
        return unscheduled is null ? null : $"pod {name}: {Text(unscheduled["reason"]) ?? "not scheduled"}: {Text(unscheduled["message"])}";
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a > TimeSpan.Zero ? a : TimeSpan.Zero) : (b > TimeSpan.Zero ? b : TimeSpan.Zero);

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
