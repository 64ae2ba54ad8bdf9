using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Health;

/// <summary>kstatus-like health rules, as pure functions of a live object.</summary>
public static class Readiness
{
    public static bool HasRule(string kind) =>
        kind is "CustomResourceDefinition" or "Namespace" or "Deployment" or "StatefulSet" or "DaemonSet" or "Job";

    /// <summary>
    /// Whether <paramref name="manifest"/>'s health is waited for: a kind with a rule, or an Aspire DCP
    /// Executable that declares health probes (without probes it is healthy once applied, as a pod without
    /// a readiness probe is ready once running).
    /// </summary>
    public static bool HasRule(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var kind = manifest["kind"]?.GetValue<string>() ?? string.Empty;
        return HasRule(kind) || (kind == "Executable" && manifest["spec"]?["healthProbes"] is JsonArray { Count: > 0 });
    }

    /// <summary>The health of a live object of a kind with a rule (<see cref="HasRule(string)"/>).</summary>
    public static HealthStatus Check(JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var status = live["status"] as JsonObject;
        if (Behind(live, status) is { } behind)
        {
            return behind;
        }

        return live["kind"]?.GetValue<string>() switch
        {
            "CustomResourceDefinition" => Condition(status, "Established", "True") is not null ? HealthStatus.Healthy : HealthStatus.Progressing("not established"),
            "Namespace" => status?["phase"]?.GetValue<string>() is null or "Active" ? HealthStatus.Healthy : HealthStatus.Progressing($"phase {status?["phase"]}"),
            "Deployment" => Deployment(live, status),
            "StatefulSet" => Replicas(live, status, "updatedReplicas", "readyReplicas"),
            "DaemonSet" => DaemonSet(status),
            "Job" => Job(status),
            "Executable" when HasRule(live) => Executable(status),
            _ => HealthStatus.Healthy,
        };
    }

    /// <summary>
    /// The health of a workload read with its pods and their events (<see cref="WorkloadPods"/>): a container
    /// that cannot start makes it Degraded at once (Failed stays Failed), naming the container, its reason and
    /// image; a container that runs but is not ready keeps it Progressing, saying which and why when known.
    /// </summary>
    public static HealthStatus Check(JsonObject live, IEnumerable<JsonObject> pods, IEnumerable<JsonObject> events)
    {
        var workload = Check(live);
        if (workload.State == HealthState.Healthy || !WorkloadPods.HasPods(live["kind"]?.GetValue<string>() ?? string.Empty))
        {
            return workload;
        }

        var findings = WorkloadPods.Diagnose(pods, events);
        var waiting = findings.Unscheduled.Concat(findings.NotReady).ToList();
        return findings.CannotStart.Count > 0
            ? new HealthStatus(workload.State == HealthState.Failed ? HealthState.Failed : HealthState.Degraded, $"{string.Join("; ", findings.CannotStart)}; {workload.Message}")
            : waiting.Count > 0 ? workload with { Message = $"{workload.Message}; {string.Join("; ", waiting)}" }
            : workload;
    }

    /// <summary>
    /// Whether a Deployment's rollout is done, ready or not: the controller saw its latest spec, every replica
    /// runs it, and no pod of an older ReplicaSet is left, so any pod its selector finds is of this spec. Bootstrap
    /// waits for this, not for <see cref="Check(JsonObject)"/>: the reconciler's pod is unready exactly when its
    /// first cycle failed, and that outcome is what bootstrap must read from it.
    /// </summary>
    public static HealthStatus Rollout(JsonObject deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var status = deployment["status"] as JsonObject;
        if ((Behind(deployment, status) ?? Updated(deployment, status, "updatedReplicas")) is { State: not HealthState.Healthy } notYet)
        {
            return notYet;
        }

        var old = (Long(status?["replicas"]) ?? 0) - (Long(status?["updatedReplicas"]) ?? 0);
        return old > 0 ? HealthStatus.Progressing($"{old} old {(old == 1 ? "replica" : "replicas")} left") : HealthStatus.Healthy;
    }

    /// <summary>The health of an object that is not there (any more) after it was applied.</summary>
    public static HealthStatus Missing(string kind) => kind == "Job"
        // A Job with ttlSecondsAfterFinished is removed once it finished: gone is done.
        ? new HealthStatus(HealthState.Healthy, "finished and removed (ttlSecondsAfterFinished)")
        : new HealthStatus(HealthState.Missing, "deleted while waiting for it");

    private static HealthStatus Deployment(JsonObject live, JsonObject? status)
    {
        if (Condition(status, "Progressing", "False") is { } stalled && stalled["reason"]?.GetValue<string>() == "ProgressDeadlineExceeded")
        {
            return new HealthStatus(HealthState.Failed, $"rollout exceeded its progress deadline: {stalled["message"]}");
        }

        var replicas = Replicas(live, status, "updatedReplicas", "availableReplicas");
        return replicas.State != HealthState.Healthy && Condition(status, "ReplicaFailure", "True") is { } failure
            ? new HealthStatus(HealthState.Degraded, $"{replicas.Message}; {failure["message"]}")
            : replicas;
    }

    private static HealthStatus Job(JsonObject? status) =>
        Condition(status, "Complete", "True") is not null ? HealthStatus.Healthy
        : Condition(status, "Failed", "True") is { } failed ? new HealthStatus(HealthState.Failed, $"job failed: {failed["reason"]} {failed["message"]}".TrimEnd())
        : HealthStatus.Progressing("not complete");

    /// <summary>DCP reports the probes' verdict in healthStatus; a process that could not start will not.</summary>
    private static HealthStatus Executable(JsonObject? status) =>
        status?["state"]?.GetValue<string>() == "FailedToStart" ? new HealthStatus(HealthState.Failed, "failed to start")
        : status?["healthStatus"]?.GetValue<string>() == "Healthy" ? HealthStatus.Healthy
        : HealthStatus.Progressing($"state {status?["state"]?.GetValue<string>() ?? "unknown"}, health {status?["healthStatus"]?.GetValue<string>() ?? "unknown"}");

    private static HealthStatus Replicas(JsonObject live, JsonObject? status, string updatedField, string readyField)
    {
        var desired = Long(live["spec"]?["replicas"]) ?? 1;
        var ready = Long(status?[readyField]) ?? 0;
        return Updated(live, status, updatedField) is { State: not HealthState.Healthy } updated ? updated
            : ready < desired ? HealthStatus.Progressing($"{ready}/{desired} replicas ready")
            : HealthStatus.Healthy;
    }

    /// <summary>The controller has not yet seen the latest spec; null once it has (or when either number is unknown).</summary>
    private static HealthStatus? Behind(JsonObject live, JsonObject? status)
    {
        var generation = Long(live["metadata"]?["generation"]);
        var observed = Long(status?["observedGeneration"]);
        return generation is not null && observed is not null && observed < generation
            ? HealthStatus.Progressing($"observedGeneration {observed} behind generation {generation}")
            : null;
    }

    /// <summary>Every desired replica runs the latest spec (ready or not).</summary>
    private static HealthStatus Updated(JsonObject live, JsonObject? status, string updatedField)
    {
        var desired = Long(live["spec"]?["replicas"]) ?? 1;
        var updated = Long(status?[updatedField]) ?? 0;
        return status?["observedGeneration"] is null ? HealthStatus.Progressing("not observed yet")
            : updated < desired ? HealthStatus.Progressing($"{updated}/{desired} replicas updated")
            : HealthStatus.Healthy;
    }

    private static HealthStatus DaemonSet(JsonObject? status)
    {
        var desired = Long(status?["desiredNumberScheduled"]) ?? 0;
        var ready = Long(status?["numberReady"]) ?? 0;
        var updated = Long(status?["updatedNumberScheduled"]) ?? 0;
        return status?["observedGeneration"] is null ? HealthStatus.Progressing("not observed yet")
            : updated < desired ? HealthStatus.Progressing($"{updated}/{desired} pods updated")
            : ready < desired ? HealthStatus.Progressing($"{ready}/{desired} pods ready")
            : HealthStatus.Healthy;
    }

    private static JsonObject? Condition(JsonObject? status, string type, string value) =>
        status?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == value);

    internal static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
