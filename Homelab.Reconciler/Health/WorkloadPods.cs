using System.Globalization;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Health;

/// <summary>
/// A workload's pods read as gitops-engine and kstatus read them, as pure functions: a container that cannot
/// start (its image cannot be pulled, it crash-loops, its config is wrong) will not start without a change,
/// so the workload is Degraded at once instead of Progressing until its rollout deadline (issue 17, item 6).
/// </summary>
public static class WorkloadPods
{
    /// <summary>Longest runtime message kept; its end (the root cause of a Go error chain) is what is kept.</summary>
    private const int MaxMessage = 160;

    /// <summary>Waiting reasons the kubelet only leaves after a change (image, command, config).</summary>
    private static readonly HashSet<string> CannotStartReasons = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    /// <summary>The annotation a Deployment and its ReplicaSets carry: the revision number of the template.</summary>
    private const string DeploymentRevision = "deployment.kubernetes.io/revision";

    /// <summary>Kinds whose health depends on pods they select.</summary>
    public static bool HasPods(string kind) => kind is "Deployment" or "StatefulSet" or "DaemonSet";

    /// <summary>
    /// The workload's spec.selector as a labelSelector query value (unescaped); null when it selects nothing by
    /// label, since an empty selector would list every pod of the namespace.
    /// </summary>
    public static string? Selector(JsonObject workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var selector = workload["spec"]?["selector"] as JsonObject;
        var requirements = new List<string?>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add($"{key}={Text(value)}");
        }

        foreach (var expression in (selector?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Text(expression["key"]);
            var values = string.Join(',', (expression["values"] as JsonArray ?? []).Select(Text));
            requirements.Add(Text(expression["operator"]) switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => $"!{key}",
                _ => null,
            });
        }

        // An operator the server would not have accepted: select nothing rather than more than asked.
        return requirements.Count == 0 || requirements.Contains(null) ? null : string.Join(',', requirements);
    }

    /// <summary>The pod label that names a pod's revision: Deployments hash their template, StatefulSets and DaemonSets name a ControllerRevision.</summary>
    public static string RevisionLabel(string kind) => kind == "Deployment" ? "pod-template-hash" : "controller-revision-hash";

    /// <summary>
    /// The objects that record a workload's revisions and must be listed to know its current one: a Deployment's
    /// ReplicaSets, a DaemonSet's ControllerRevisions; none for a StatefulSet (its status names the revision).
    /// </summary>
    public static Kubernetes.ResourceMapping? RevisionsOf(string kind) => kind switch
    {
        "Deployment" => new("apps/v1", "ReplicaSet", "replicasets", Namespaced: true),
        "DaemonSet" => new("apps/v1", "ControllerRevision", "controllerrevisions", Namespaced: true),
        _ => null,
    };

    /// <summary>
    /// The value of <see cref="RevisionLabel"/> that the workload's current pods carry; null while no current
    /// revision exists yet (its controller has not caught up). A Deployment's is the pod-template-hash of the
    /// ReplicaSet it controls whose revision annotation is the Deployment's own (the newest, when the Deployment
    /// has none yet); a StatefulSet's is status.updateRevision; a DaemonSet's is the hash of the ControllerRevision
    /// it controls with the highest revision. <paramref name="revisions"/> are the listed ReplicaSets or
    /// ControllerRevisions; only those the workload controls count.
    /// </summary>
    public static string? CurrentRevision(JsonObject workload, IEnumerable<JsonObject> revisions)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(revisions);
        var kind = Text(workload["kind"]);
        if (kind == "StatefulSet")
        {
            return Text(workload["status"]?["updateRevision"]) is { Length: > 0 } update ? update : null;
        }

        var uid = Text(workload["metadata"]?["uid"]);
        var owned = revisions.Where(r => (r["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(o => Text(o["uid"]) == uid && uid.Length > 0 && o["controller"] is JsonValue c && c.TryGetValue<bool>(out var controller) && controller));
        var current = kind switch
        {
            "Deployment" when RevisionOf(workload) is { } revision =>
                owned.FirstOrDefault(r => RevisionOf(r) == revision),
            "Deployment" => owned.MaxBy(r => RevisionOf(r) ?? -1),
            "DaemonSet" => owned.MaxBy(r => Readiness.Long(r["revision"]) ?? -1),
            _ => null,
        };
        return current?["metadata"]?["labels"]?[RevisionLabel(kind)] is { } label && Text(label) is { Length: > 0 } hash ? hash : null;
    }

    /// <summary>
    /// The pods of the workload's current revision (<see cref="CurrentRevision"/>): an old ReplicaSet's pod, kept
    /// while a rolling update waits for its successor, says nothing about the commit being judged. None while
    /// the revision is unknown (null): the workload's own status speaks until its controller catches up.
    /// </summary>
    public static IReadOnlyList<JsonObject> OfRevision(string kind, string? revision, IEnumerable<JsonObject> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var label = RevisionLabel(kind);
        return revision is null ? [] : [.. pods.Where(p => Text(p["metadata"]?["labels"]?[label]) == revision)];
    }

    /// <summary>Names of pods with a container that runs but is not ready: whose probe events are worth reading.</summary>
    public static IReadOnlyList<string> NotReadyPods(IEnumerable<JsonObject> pods) =>
        [.. Current(pods).Where(p => Statuses(p, "containerStatuses").Any(RunsNotReady)).Select(p => Text(p["metadata"]?["name"]))];

    /// <summary>What the pods (and, when known, their events) say is wrong; terminating pods are left out.</summary>
    public static PodFindings Diagnose(IEnumerable<JsonObject> pods, IEnumerable<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(events);
        var eventList = events.ToList();
        var cannotStart = new List<string>();
        var notReady = new List<string>();
        var unscheduled = new List<string>();
        foreach (var pod in Current(pods))
        {
            if (Unschedulable(pod) is { } why)
            {
                unscheduled.Add(why);
            }

            foreach (var status in Statuses(pod, "initContainerStatuses"))
            {
                if (CannotStart(status, init: true) is { } line)
                {
                    cannotStart.Add(line);
                }
            }

            foreach (var status in Statuses(pod, "containerStatuses"))
            {
                if (CannotStart(status, init: false) is { } line)
                {
                    cannotStart.Add(line);
                }
                else if (RunsNotReady(status))
                {
                    notReady.Add(NotReady(pod, status, eventList));
                }
            }
        }

        return new PodFindings([.. cannotStart.Distinct(StringComparer.Ordinal)], [.. notReady.Distinct(StringComparer.Ordinal)], [.. unscheduled.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The newest pod that still runs or starts (not terminating, not finished): once a Deployment's rollout is done
    /// (<see cref="Readiness.Rollout"/>), a pod of its current ReplicaSet. Null when there is none.
    /// </summary>
    public static JsonObject? Newest(IEnumerable<JsonObject> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return Current(pods)
            .Where(p => Text(p["status"]?["phase"]) is not ("Succeeded" or "Failed"))
            .MaxBy(p => Parse(Text(p["metadata"]?["creationTimestamp"])) ?? DateTimeOffset.MinValue);
    }

    /// <summary>"Unschedulable: why" for a pod the scheduler could not place; null once it is placed.</summary>
    private static string? Unschedulable(JsonObject pod)
    {
        var condition = (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["type"]) == "PodScheduled" && Text(c["status"]) == "False");
        return condition is null ? null : $"{Or(Text(condition["reason"]), "Unschedulable")}: {Shorten(Or(Text(condition["message"]), "not scheduled"))}";
    }

    /// <summary>"name: Reason: image (why)" for a container that will not start; null for one that may.</summary>
    private static string? CannotStart(JsonObject status, bool init)
    {
        var name = Text(status["name"]) + (init ? " (init)" : string.Empty);
        var image = Text(status["image"]);
        var last = status["lastState"]?["terminated"] as JsonObject;
        if (status["state"]?["waiting"] is JsonObject waiting && CannotStartReasons.Contains(Text(waiting["reason"])))
        {
            var reason = Text(waiting["reason"]);
            // A crash loop's own message is only "back-off …": how the container last ended says why.
            var why = reason == "CrashLoopBackOff" && last is not null ? Exit(last, status) : Shorten(Text(waiting["message"]));
            return $"{name}: {reason}: {image}" + (why.Length > 0 ? $" ({why})" : string.Empty);
        }

        // Between back-offs a failed init container shows as terminated; it is retried, failing the same way.
        if (init && status["state"]?["terminated"] is JsonObject terminated && Readiness.Long(terminated["exitCode"]) is not (null or 0) && Readiness.Long(status["restartCount"]) > 0)
        {
            return $"{name}: {Or(Text(terminated["reason"]), "Error")}: {image} ({Exit(terminated, status)})";
        }

        return null;
    }

    /// <summary>"name: running, not ready, N restarts: the readiness probe's last failure" (the failure only when an event says it).</summary>
    private static string NotReady(JsonObject pod, JsonObject status, List<JsonObject> events)
    {
        var name = Text(status["name"]);
        var restarts = Readiness.Long(status["restartCount"]) ?? 0;
        var line = $"{name}: running, not ready, {restarts} {(restarts == 1 ? "restart" : "restarts")}";
        var probe = events
            .Where(e => Text(e["reason"]) == "Unhealthy"
                && Text(e["involvedObject"]?["kind"]) == "Pod"
                && Text(e["involvedObject"]?["name"]) == Text(pod["metadata"]?["name"])
                && Text(e["involvedObject"]?["fieldPath"]) is var path && (path.Length == 0 || path == $"spec.containers{{{name}}}")
                && Text(e["message"]).StartsWith("Readiness probe failed:", StringComparison.Ordinal))
            .MaxBy(Time);
        return probe is null ? line : $"{line}: {Shorten(Text(probe["message"]))}";
    }

    private static string Exit(JsonObject terminated, JsonObject status)
    {
        var parts = new List<string> { $"exit code {Readiness.Long(terminated["exitCode"]) ?? 0}" };
        if (Text(terminated["reason"]) is { Length: > 0 } reason && reason != "Error")
        {
            parts.Add(reason);
        }

        if (Text(terminated["message"]) is { Length: > 0 } message)
        {
            parts.Add(Shorten(message));
        }

        var restarts = Readiness.Long(status["restartCount"]) ?? 0;
        parts.Add($"{restarts} {(restarts == 1 ? "restart" : "restarts")}");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// The runtime's message without its gRPC wrapper, and when still long only its end, cut where a Go error
    /// chain joins (": "): the end names the cause (`dial tcp …: connection refused`).
    /// </summary>
    private static string Shorten(string message)
    {
        var text = message.ReplaceLineEndings(" ").Trim();
        const string Rpc = "rpc error: code = ";
        const string Desc = " desc = ";
        if (text.StartsWith(Rpc, StringComparison.Ordinal) && text.IndexOf(Desc, StringComparison.Ordinal) is var desc and > 0)
        {
            text = text[(desc + Desc.Length)..];
        }

        if (text.Length <= MaxMessage)
        {
            return text;
        }

        for (var at = text.IndexOf(": ", StringComparison.Ordinal); at >= 0; at = text.IndexOf(": ", at + 2, StringComparison.Ordinal))
        {
            if (text.Length - (at + 2) <= MaxMessage)
            {
                return "… " + text[(at + 2)..];
            }
        }

        return "… " + text[^MaxMessage..];
    }

    private static bool RunsNotReady(JsonObject status) =>
        status["state"]?["running"] is JsonObject && !(status["ready"] is JsonValue value && value.TryGetValue<bool>(out var ready) && ready);

    private static IEnumerable<JsonObject> Current(IEnumerable<JsonObject> pods) =>
        pods.Where(p => p["metadata"]?["deletionTimestamp"] is null);

    private static IEnumerable<JsonObject> Statuses(JsonObject pod, string field) =>
        (pod["status"]?[field] as JsonArray ?? []).OfType<JsonObject>();

    private static DateTimeOffset Time(JsonObject e) =>
        new[] { e["lastTimestamp"], e["eventTime"], e["metadata"]?["creationTimestamp"] }
            .Select(t => Parse(Text(t)))
            .FirstOrDefault(t => t is not null) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>The Deployment revision annotation as a number (annotations are strings); null when absent or not a number.</summary>
    private static long? RevisionOf(JsonObject item) =>
        long.TryParse(Text(item["metadata"]?["annotations"]?[DeploymentRevision]), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
}
