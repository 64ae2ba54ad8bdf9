using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;

namespace Homelab.Reconciler.Bootstrapping;

/// <summary>
/// After bootstrap applied <c>homelab-system</c>, waits (bounded) for the in-cluster reconciler to report its first
/// finished cycle, as <c>flux bootstrap</c> waits for Ready: its <c>/status</c> read through the API server's pod
/// proxy from the pod of the current rollout (<see cref="Readiness.Rollout"/>, so an older pod's status is never taken
/// for the new one's). The pod proxy, not the Service: an unready pod has no Service endpoint, and the reconciler is
/// unready exactly when its cycle failed on Git. While waiting, a pod that cannot start or be scheduled is reported
/// with its reason, as the reconciler's own health wait reads it (<see cref="WorkloadPods.Diagnose"/>).
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
        var deploymentPath = $"/apis/apps/v1/namespaces/{reconciler.Namespace}/deployments/{reconciler.Name}";
        string? seen = null;
        while (true)
        {
            // The Deployment first: once its rollout is done, the pods listed after it are of its current spec.
            var deployment = await ReadAsync(api, deploymentPath, cancellationToken).ConfigureAwait(false);
            var pods = reconciler.PodSelector is { } selector
                ? await ReadAsync(api, $"/api/v1/namespaces/{reconciler.Namespace}/pods?labelSelector={Uri.EscapeDataString(selector)}", cancellationToken).ConfigureAwait(false)
                : default;
            var podList = (pods.Json?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var rollout = deployment.Json is { } live ? Readiness.Rollout(live) : HealthStatus.Progressing(deployment.Problem ?? "not found");
            string now;
            if (rollout.State != HealthState.Healthy)
            {
                now = $"deployment {reconciler.Namespace}/{reconciler.Name} is rolling out ({rollout.Message})";
            }
            else if (reconciler.PodSelector is null || WorkloadPods.Newest(podList) is not { } pod)
            {
                now = $"no pod of {reconciler.Namespace}/{reconciler.Name} yet" + (pods.Problem is null ? string.Empty : $" ({pods.Problem})");
            }
            else if (reconciler.StatusPath(pod["metadata"]?["name"]?.GetValue<string>() ?? string.Empty) is not { } statusPath)
            {
                now = $"the reconciler container of {reconciler.Namespace}/{reconciler.Name} declares no port: its status cannot be read";
            }
            else
            {
                var read = await ReadAsync(api, statusPath, cancellationToken).ConfigureAwait(false);
                var status = Snapshot(read.Json);
                // Progressing with a cycle time: a cycle applied but its health wait was cut short; the next one decides.
                if (status is { LastReconcileAt: not null } && status.Reason != nameof(ReconcileReason.Progressing))
                {
                    return new FirstCycle(true, status.Ready, status.LastAttemptedRevision, status.Reason ?? "Unknown", status.Message ?? string.Empty, null);
                }

                now = status is null
                    ? $"the reconciler's status is not readable yet ({read.Problem ?? "not a status"})"
                    : $"the reconciler has not finished its first cycle ({status.Reason}: {status.Message})";
            }

            var podProblem = PodProblem(podList);
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

    /// <summary>GETs <paramref name="path"/>: its JSON, or why it could not be read (no such object yet, a refusal, a proxy error).</summary>
    private static async Task<(JsonObject? Json, string? Problem)> ReadAsync(KubeApi api, string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.GetAsync(path, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or JsonException)
        {
            return (null, ex.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>The reconciler's <c>/status</c> as it writes it; null when the answer is not one.</summary>
    private static StatusSnapshot? Snapshot(JsonObject? json)
    {
        try
        {
            return json?.Deserialize(ApiJson.Default.StatusSnapshot);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first pod's problem, as <c>pod NAME: REASON: …</c>; null while every pod runs or merely starts.</summary>
    private static string? PodProblem(IEnumerable<JsonObject> pods) =>
        pods.Select(pod => (Pod: pod, Findings: WorkloadPods.Diagnose([pod], [])))
            .SelectMany(p => p.Findings.CannotStart.Concat(p.Findings.Unscheduled).Select(line => $"pod {p.Pod["metadata"]?["name"]}: {line}"))
            .FirstOrDefault();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a > TimeSpan.Zero ? a : TimeSpan.Zero) : (b > TimeSpan.Zero ? b : TimeSpan.Zero);
}
