using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Health;

/// <summary>kstatus-like readiness rules, as pure functions of a live object.</summary>
public static class Readiness
{
    public static bool HasRule(string kind) =>
        kind is "CustomResourceDefinition" or "Namespace" or "Deployment" or "StatefulSet" or "DaemonSet" or "Job";

    /// <summary>Null when ready; otherwise why not.</summary>
    public static string? Check(JsonObject? live)
    {
        if (live is null)
        {
            return "not found";
        }

        var status = live["status"] as JsonObject;
        var generation = Long(live["metadata"]?["generation"]);
        var observed = Long(status?["observedGeneration"]);
        if (generation is not null && observed is not null && observed < generation)
        {
            return $"observedGeneration {observed} behind generation {generation}";
        }

        return live["kind"]?.GetValue<string>() switch
        {
            "CustomResourceDefinition" => Condition(status, "Established") ? null : "not established",
            "Namespace" => status?["phase"]?.GetValue<string>() is null or "Active" ? null : $"phase {status?["phase"]}",
            "Deployment" => Replicas(live, status, "updatedReplicas", "availableReplicas"),
            "StatefulSet" => Replicas(live, status, "updatedReplicas", "readyReplicas"),
            "DaemonSet" => DaemonSet(status),
            "Job" => Condition(status, "Complete") ? null : Condition(status, "Failed") ? "failed" : "not complete",
            _ => null,
        };
    }

    private static string? Replicas(JsonObject live, JsonObject? status, string updatedField, string readyField)
    {
        var desired = Long(live["spec"]?["replicas"]) ?? 1;
        var updated = Long(status?[updatedField]) ?? 0;
        var ready = Long(status?[readyField]) ?? 0;
        if (status?["observedGeneration"] is null)
        {
            return "not observed yet";
        }

        return updated < desired ? $"{updated}/{desired} replicas updated"
            : ready < desired ? $"{ready}/{desired} replicas ready"
            : null;
    }

    private static string? DaemonSet(JsonObject? status)
    {
        var desired = Long(status?["desiredNumberScheduled"]) ?? 0;
        var ready = Long(status?["numberReady"]) ?? 0;
        var updated = Long(status?["updatedNumberScheduled"]) ?? 0;
        return status?["observedGeneration"] is null ? "not observed yet"
            : updated < desired ? $"{updated}/{desired} pods updated"
            : ready < desired ? $"{ready}/{desired} pods ready"
            : null;
    }

    private static bool Condition(JsonObject? status, string type) =>
        status?["conditions"]?.AsArray().OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True") ?? false;

    private static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
