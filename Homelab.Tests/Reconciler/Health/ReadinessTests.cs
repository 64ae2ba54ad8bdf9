using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Health;

public sealed class ReadinessTests
{
    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"availableReplicas":2}}""", "Progressing: observedGeneration 1 behind generation 2")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":1,"availableReplicas":2}}""", "Progressing: 1/2 replicas updated")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":1}}""", "Progressing: 1/2 replicas ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":2}}""", "Healthy")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":0,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"web-1\" has timed out progressing."}]}}""", "Failed: rollout exceeded its progress deadline: ReplicaSet \"web-1\" has timed out progressing.")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":0,"conditions":[{"type":"ReplicaFailure","status":"True","message":"pods \"web\" is forbidden: exceeded quota"}]}}""", "Degraded: 0/1 replicas ready; pods \"web\" is forbidden: exceeded quota")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"readyReplicas":0}}""", "Progressing: 0/1 replicas ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberReady":3}}""", "Healthy")]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Complete","status":"True"}]}}""", "Healthy")]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}""", "Failed: job failed: BackoffLimitExceeded Job has reached the specified backoff limit")]
    [InlineData("""{"kind":"Job","status":{}}""", "Progressing: not complete")]
    [InlineData("""{"kind":"CustomResourceDefinition","status":{"conditions":[{"type":"Established","status":"False"}]}}""", "Progressing: not established")]
    [InlineData("""{"kind":"Namespace","status":{"phase":"Terminating"}}""", "Progressing: phase Terminating")]
    [InlineData("""{"kind":"Executable","status":{}}""", "Healthy")]
    public void Workloads_get_typed_health_by_kstatus_rules(string live, string expected) =>
        Assert.Equal(expected, Readiness.Check((JsonObject)JsonNode.Parse(live)!).ToString());

    [Fact]
    public void A_job_removed_by_its_ttl_is_done_and_any_other_missing_object_is_missing()
    {
        Assert.Equal(HealthState.Healthy, Readiness.Missing("Job").State);
        Assert.Equal(HealthState.Missing, Readiness.Missing("Deployment").State);
    }

    private const string Rolling = """{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":0}}""";

    // One pod, one container unless said; what kubelet writes in status.containerStatuses / initContainerStatuses.
    [Theory]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"docker.io/x/web:1","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"docker.io/x/web:1\""}}}]}}""", "Degraded: web: ImagePullBackOff: docker.io/x/web:1 (Back-off pulling image \"docker.io/x/web:1\"); 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"x:bad tag","ready":false,"restartCount":0,"state":{"waiting":{"reason":"InvalidImageName","message":"Failed to apply default image tag"}}}]}}""", "Degraded: web: InvalidImageName: x:bad tag (Failed to apply default image tag); 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s restarting failed container=web"}},"lastState":{"terminated":{"exitCode":2,"reason":"Error","message":"missing ND_MUSICFOLDER"}}}]}}""", "Degraded: web: CrashLoopBackOff: web:1 (exit code 2, missing ND_MUSICFOLDER, 3 restarts); 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"restartCount":0,"state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \"web-admin\" not found"}}}]}}""", "Degraded: web: CreateContainerConfigError: web:1 (secret \"web-admin\" not found); 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"initContainerStatuses":[{"name":"init","image":"web:1","ready":false,"restartCount":1,"state":{"terminated":{"exitCode":1,"reason":"Error"}}}],"containerStatuses":[{"name":"web","image":"web:1","ready":false,"restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}""", "Degraded: init (init): Error: web:1 (exit code 1, 1 restart); 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"initContainerStatuses":[{"name":"init","image":"web:1","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}}""", "Progressing: 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}""", "Progressing: 0/1 replicas ready")]
    [InlineData(Rolling, """{"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"restartCount":1,"state":{"running":{}}}]}}""", "Progressing: 0/1 replicas ready; web: running, not ready, 1 restart")]
    [InlineData(Rolling, """{"metadata":{"deletionTimestamp":"2026-12-04T14:00:00Z"},"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""", "Progressing: 0/1 replicas ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":1}}""", """{"status":{"containerStatuses":[{"name":"web","image":"web:1","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""", "Healthy")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"readyReplicas":0}}""", """{"status":{"containerStatuses":[{"name":"db","image":"db:1","ready":false,"state":{"waiting":{"reason":"RunContainerError","message":"exec: \"db\": not found"}}}]}}""", "Degraded: db: RunContainerError: db:1 (exec: \"db\": not found); 0/1 replicas ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":1,"updatedNumberScheduled":1,"numberReady":0}}""", """{"status":{"containerStatuses":[{"name":"agent","image":"agent:1","ready":false,"state":{"waiting":{"reason":"CreateContainerError","message":"no command specified"}}}]}}""", "Degraded: agent: CreateContainerError: agent:1 (no command specified); 0/1 pods ready")]
    [InlineData("""{"kind":"Job","status":{}}""", """{"status":{"containerStatuses":[{"name":"once","image":"once:1","ready":false,"state":{"waiting":{"reason":"ErrImagePull"}}}]}}""", "Progressing: not complete")]
    [InlineData(Rolling, """{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims."}]}}""", "Progressing: 0/1 replicas ready; Unschedulable: 0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.")]
    public void Workloads_read_with_their_pods_by_gitops_engine_rules(string live, string pod, string expected) =>
        Assert.Equal(expected, Readiness.Check((JsonObject)JsonNode.Parse(live)!, [(JsonObject)JsonNode.Parse(pod)!], []).ToString());

    // A rollout is done once every replica runs the latest spec and no older one is left, ready or not.
    [Theory]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1}}""", "Progressing: observedGeneration 1 behind generation 2")]
    [InlineData("""{"metadata":{"generation":1},"spec":{"replicas":1},"status":{}}""", "Progressing: not observed yet")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":0}}""", "Progressing: 0/1 replicas updated")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":2,"updatedReplicas":1}}""", "Progressing: 1 old replica left")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":0,"availableReplicas":0}}""", "Healthy")]
    public void A_deployments_rollout_is_done_when_its_pods_are_all_of_its_spec_ready_or_not(string deployment, string expected) =>
        Assert.Equal(expected, Readiness.Rollout((JsonObject)JsonNode.Parse(deployment)!).ToString());

    [Fact]
    public void The_newest_pod_that_neither_terminates_nor_finished_is_the_current_one()
    {
        static JsonObject Pod(string name, string created, string phase, bool deleting = false)
        {
            var metadata = new JsonObject { ["name"] = name, ["creationTimestamp"] = created };
            if (deleting)
            {
                metadata["deletionTimestamp"] = "2026-12-04T15:00:00Z";
            }

            return new JsonObject { ["metadata"] = metadata, ["status"] = new JsonObject { ["phase"] = phase } };
        }

        var newest = WorkloadPods.Newest([
            Pod("old", "2026-12-04T14:00:00Z", "Running"),
            Pod("current", "2026-12-04T14:10:00Z", "Pending"),
            Pod("evicted", "2026-12-04T14:20:00Z", "Failed"),
            Pod("going", "2026-12-04T14:30:00Z", "Running", deleting: true),
        ]);

        Assert.Equal("current", (string?)newest?["metadata"]?["name"]);
        Assert.Null(WorkloadPods.Newest([Pod("evicted", "2026-12-04T14:20:00Z", "Failed")]));
    }

    // Rolling update, one replica: the old revision's pod stays until the new one is available.
    private const string Rolled = """{"kind":"Deployment","metadata":{"uid":"d1","generation":2,"annotations":{"deployment.kubernetes.io/revision":"2"}},"spec":{"replicas":1},"status":{"observedGeneration":2,"updatedReplicas":1,"availableReplicas":0}}""";
    private const string ReplicaSets = """[{"metadata":{"labels":{"pod-template-hash":"old"},"annotations":{"deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"uid":"d1","controller":true}]}},{"metadata":{"labels":{"pod-template-hash":"new"},"annotations":{"deployment.kubernetes.io/revision":"2"},"ownerReferences":[{"uid":"d1","controller":true}]}}]""";
    private const string OldPullFails = """{"metadata":{"labels":{"pod-template-hash":"old","controller-revision-hash":"old"}},"status":{"containerStatuses":[{"name":"web","image":"web:bad","ready":false,"state":{"waiting":{"reason":"ImagePullBackOff"}}}]}}""";
    private const string NewCreating = """{"metadata":{"labels":{"pod-template-hash":"new","controller-revision-hash":"new"}},"status":{"containerStatuses":[{"name":"web","image":"web:2","ready":false,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}""";
    private const string NewPullFails = """{"metadata":{"labels":{"pod-template-hash":"new","controller-revision-hash":"new"}},"status":{"containerStatuses":[{"name":"web","image":"web:2","ready":false,"state":{"waiting":{"reason":"ErrImagePull"}}}]}}""";

    // Pods judged are those of the workload's current revision only (pods: a JSON array; revisions: ReplicaSets or ControllerRevisions).
    [Theory]
    [InlineData(Rolled, ReplicaSets, $"[{OldPullFails},{NewCreating}]", "Progressing: 0/1 replicas ready")]
    [InlineData(Rolled, ReplicaSets, $"[{OldPullFails},{NewPullFails}]", "Degraded: web: ErrImagePull: web:2; 0/1 replicas ready")]
    // The Deployment's revision names the ReplicaSet, not the highest number: a rollback reuses an old one under a new number.
    [InlineData(Rolled, """[{"metadata":{"labels":{"pod-template-hash":"old"},"annotations":{"deployment.kubernetes.io/revision":"2"},"ownerReferences":[{"uid":"d1","controller":true}]}},{"metadata":{"labels":{"pod-template-hash":"new"},"annotations":{"deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"uid":"d1","controller":true}]}}]""", $"[{OldPullFails},{NewCreating}]", "Degraded: web: ImagePullBackOff: web:bad; 0/1 replicas ready")]
    // The new ReplicaSet is not there yet, or belongs to another Deployment: no pod is current, the status speaks.
    [InlineData(Rolled, """[{"metadata":{"labels":{"pod-template-hash":"old"},"annotations":{"deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"uid":"d1","controller":true}]}}]""", $"[{OldPullFails}]", "Progressing: 0/1 replicas ready")]
    [InlineData(Rolled, """[{"metadata":{"labels":{"pod-template-hash":"old"},"annotations":{"deployment.kubernetes.io/revision":"2"},"ownerReferences":[{"uid":"other","controller":true}]}}]""", $"[{OldPullFails}]", "Progressing: 0/1 replicas ready")]
    // Without a revision annotation yet, the newest owned ReplicaSet is current.
    [InlineData("""{"kind":"Deployment","metadata":{"uid":"d1","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"updatedReplicas":1,"availableReplicas":0}}""", ReplicaSets, $"[{OldPullFails},{NewPullFails}]", "Degraded: web: ErrImagePull: web:2; 0/1 replicas ready")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"updatedReplicas":0,"readyReplicas":0,"updateRevision":"new"}}""", "[]", $"[{OldPullFails},{NewCreating}]", "Progressing: 0/1 replicas updated")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"updatedReplicas":1,"readyReplicas":0,"updateRevision":"new"}}""", "[]", $"[{NewPullFails}]", "Degraded: web: ErrImagePull: web:2; 0/1 replicas ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"uid":"ds1","generation":2},"status":{"observedGeneration":2,"desiredNumberScheduled":1,"updatedNumberScheduled":1,"numberReady":0}}""", """[{"revision":1,"metadata":{"labels":{"controller-revision-hash":"old"},"ownerReferences":[{"uid":"ds1","controller":true}]}},{"revision":2,"metadata":{"labels":{"controller-revision-hash":"new"},"ownerReferences":[{"uid":"ds1","controller":true}]}}]""", $"[{OldPullFails},{NewCreating}]", "Progressing: 0/1 pods ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"uid":"ds1","generation":2},"status":{"observedGeneration":2,"desiredNumberScheduled":1,"updatedNumberScheduled":1,"numberReady":0}}""", """[{"revision":1,"metadata":{"labels":{"controller-revision-hash":"old"},"ownerReferences":[{"uid":"ds1","controller":true}]}},{"revision":2,"metadata":{"labels":{"controller-revision-hash":"new"},"ownerReferences":[{"uid":"ds1","controller":true}]}}]""", $"[{OldPullFails},{NewPullFails}]", "Degraded: web: ErrImagePull: web:2; 0/1 pods ready")]
    public void Only_pods_of_the_current_revision_judge_a_workload(string live, string revisions, string pods, string expected)
    {
        var workload = (JsonObject)JsonNode.Parse(live)!;
        var kind = workload["kind"]!.GetValue<string>();
        var current = WorkloadPods.OfRevision(kind, WorkloadPods.CurrentRevision(workload, JsonNode.Parse(revisions)!.AsArray().OfType<JsonObject>()), JsonNode.Parse(pods)!.AsArray().OfType<JsonObject>());
        Assert.Equal(expected, Readiness.Check(workload, current, []).ToString());
    }

    [Fact]
    public void A_pod_that_cannot_pull_its_image_makes_its_Deployment_Degraded_at_once_RealNodeCapture()
    {
        var navidrome = RealNode.BeforeDeadline(RealNode.Item("deployments-homelab.json", "navidrome"));
        Assert.Equal("Progressing: 0/1 replicas ready", Readiness.Check(navidrome).ToString());

        var health = Readiness.Check(navidrome, RealNode.Items("pod-navidrome-imagepull.json"), RealNode.Items("events-homelab.json"));

        Assert.Equal(HealthState.Degraded, health.State);
        Assert.Equal(NavidromeCannotPull + "; 0/1 replicas ready", health.Message);
    }

    [Fact]
    public void A_rollout_past_its_deadline_stays_Failed_and_says_why_RealNodeCapture()
    {
        var health = Readiness.Check(RealNode.Item("deployments-homelab.json", "navidrome"), RealNode.Items("pod-navidrome-imagepull.json"), []);
        Assert.Equal(HealthState.Failed, health.State);
        Assert.Equal(NavidromeCannotPull + "; rollout exceeded its progress deadline: ReplicaSet \"navidrome-698f4cb889\" has timed out progressing.", health.Message);
    }

    [Fact]
    public void A_container_failing_its_readiness_probe_keeps_Progressing_naming_restarts_and_the_probe_RealNodeCapture()
    {
        var syncthing = RealNode.Item("deployments-homelab.json", "syncthing");
        var pods = RealNode.Items("pod-syncthing-probe-failing.json");
        Assert.Equal(
            "Progressing: 0/1 replicas ready; syncthing: running, not ready, 2 restarts: Readiness probe failed: HTTP probe failed with statuscode: 401",
            Readiness.Check(syncthing, pods, RealNode.Items("events-homelab.json")).ToString());
        // Without its events the pod still names the container and its restarts.
        Assert.Equal("Progressing: 0/1 replicas ready; syncthing: running, not ready, 2 restarts", Readiness.Check(syncthing, pods, []).ToString());
        Assert.Equal(["syncthing-8497c85ff-jz9pg"], WorkloadPods.NotReadyPods(pods));
    }

    [Theory]
    [InlineData("navidrome", "app.kubernetes.io/name=navidrome")]
    [InlineData("syncthing", "app.kubernetes.io/name=syncthing")]
    public void A_workloads_pods_are_selected_by_its_selector_RealNodeCapture(string name, string selector) =>
        Assert.Equal(selector, WorkloadPods.Selector(RealNode.Item("deployments-homelab.json", name)));

    [Theory]
    [InlineData("""{"spec":{"selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]},{"key":"canary","operator":"DoesNotExist"},{"key":"zone","operator":"NotIn","values":["x"]},{"key":"team","operator":"Exists"}]}}}""", "app=web,tier in (a,b),!canary,zone notin (x),team")]
    [InlineData("""{"spec":{"selector":{}}}""", null)]
    [InlineData("""{"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"Near","values":["x"]}]}}}""", null)]
    public void A_selector_becomes_a_label_query_and_an_empty_or_unknown_one_selects_nothing(string workload, string? expected) =>
        Assert.Equal(expected, WorkloadPods.Selector((JsonObject)JsonNode.Parse(workload)!));

    /// <summary>The navidrome container of the captured pod: its pull error, shortened to its cause.</summary>
    private const string NavidromeCannotPull = "navidrome: ErrImagePull: docker.io/deluan/navidrome:0.58.5 (… failed to do request: Head \"http://127.0.0.1:5999/v2/deluan/navidrome/manifests/0.58.5?ns=docker.io\": dial tcp 127.0.0.1:5999: connect: connection refused)";
}
