using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Health;

/// <summary>
/// The waiter lists a stuck workload's pods and their probe events through the KubeApi. DCP serves no core/v1
/// (no pods, no events, no Deployments), so a fake API server on loopback answers with a real node's captures.
/// </summary>
public sealed class ReadinessWaiterTests
{
    private static readonly JsonObject AppsV1 = new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "apps/v1",
        ["resources"] = new JsonArray(new JsonObject { ["name"] = "deployments", ["namespaced"] = true, ["kind"] = "Deployment", ["verbs"] = new JsonArray("get", "list") }),
    };

    [Fact]
    public async Task A_Deployment_whose_pod_cannot_pull_its_image_ends_the_wait_at_once_FakeApiServer_RealNodeCapture()
    {
        var navidrome = RealNode.BeforeDeadline(RealNode.Item("deployments-homelab.json", "navidrome"));
        await using var server = await ServeAsync(navidrome);
        server.List("/api/v1/namespaces/homelab/pods", RealNode.Items("pod-navidrome-imagepull.json"));
        server.List("/apis/apps/v1/namespaces/homelab/replicasets", [ReplicaSetOf(navidrome, RealNode.Items("pod-navidrome-imagepull.json")[0])]);
        using var api = server.Connect();

        var clock = Stopwatch.StartNew();
        var notReady = await new ReadinessWaiter(api, new ApiDiscovery(api)).WaitAsync([navidrome], TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the wait took {clock.Elapsed}");
        var line = Assert.Single(notReady);
        Assert.StartsWith("Deployment/homelab/navidrome: Degraded: navidrome: ErrImagePull: docker.io/deluan/navidrome:0.58.5 (", line, StringComparison.Ordinal);
        Assert.Contains("GET /api/v1/namespaces/homelab/pods?labelSelector=app.kubernetes.io/name=navidrome", server.Requests);
    }

    [Fact]
    public async Task A_container_failing_its_readiness_probe_is_named_when_the_wait_ends_FakeApiServer_RealNodeCapture()
    {
        var syncthing = RealNode.Item("deployments-homelab.json", "syncthing");
        await using var server = await ServeAsync(syncthing);
        server.List("/api/v1/namespaces/homelab/pods", RealNode.Items("pod-syncthing-probe-failing.json"));
        server.List("/api/v1/namespaces/homelab/events", RealNode.Items("events-homelab.json"));
        server.List("/apis/apps/v1/namespaces/homelab/replicasets", [ReplicaSetOf(syncthing, RealNode.Items("pod-syncthing-probe-failing.json")[0])]);
        using var api = server.Connect();

        var notReady = await new ReadinessWaiter(api, new ApiDiscovery(api)).WaitAsync([syncthing], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(
            ["Deployment/homelab/syncthing: Progressing: 0/1 replicas ready; syncthing: running, not ready, 2 restarts: Readiness probe failed: HTTP probe failed with statuscode: 401"],
            notReady);
        Assert.Contains("GET /api/v1/namespaces/homelab/events?fieldSelector=involvedObject.kind=Pod,involvedObject.name=syncthing-8497c85ff-jz9pg,reason=Unhealthy", server.Requests);
    }

    [Fact]
    public async Task Pods_the_server_will_not_list_leave_the_workload_status_to_speak_and_name_the_rule_FakeApiServer_RealNodeCapture()
    {
        var navidrome = RealNode.BeforeDeadline(RealNode.Item("deployments-homelab.json", "navidrome"));
        await using var server = await ServeAsync(navidrome);
        // The authorizer's answer, in its wording, to a ServiceAccount whose ClusterRole has no pods.
        var forbidden = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Forbidden", ["code"] = 403,
            ["message"] = "pods is forbidden: User \"system:serviceaccount:homelab-system:homelab-reconciler\" cannot list resource \"pods\" in API group \"\" in the namespace \"homelab\"",
        };
        server.Answer("GET", "/api/v1/namespaces/homelab/pods", forbidden, HttpStatusCode.Forbidden);
        using var api = server.Connect();

        var notReady = await new ReadinessWaiter(api, new ApiDiscovery(api)).WaitAsync([navidrome], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(
            ["Deployment/homelab/navidrome: Progressing: 0/1 replicas ready; pods not read: forbidden: system:serviceaccount:homelab-system:homelab-reconciler may not list pods in namespace homelab (needs a ClusterRole rule: apiGroups [\"\"], resources [\"pods\"], verbs [\"list\"])"],
            notReady);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /api/v1/namespaces/homelab/pods?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_old_revisions_pod_that_cannot_pull_its_image_does_not_fail_the_rollout_that_replaces_it_FakeApiServer_RealNodeCapture()
    {
        // The captured navidrome pod is the old revision's; the commit that fixes the image made revision 3.
        var old = RealNode.Items("pod-navidrome-imagepull.json")[0];
        var navidrome = RealNode.BeforeDeadline(RealNode.Item("deployments-homelab.json", "navidrome"));
        var oldSet = ReplicaSetOf(navidrome, old);
        navidrome["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"] = "3";
        var fixedPod = (JsonObject)old.DeepClone();
        fixedPod["metadata"]!["name"] = "navidrome-5c7d9f8b6-x2x9q";
        fixedPod["metadata"]!["labels"]!["pod-template-hash"] = "5c7d9f8b6";
        fixedPod["status"]!["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "navidrome", ["image"] = "docker.io/deluan/navidrome:0.58.6", ["ready"] = false, ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } } });
        fixedPod["status"]!["initContainerStatuses"] = null;
        var newSet = ReplicaSetOf(navidrome, fixedPod);
        await using var server = await ServeAsync(navidrome);
        server.List("/api/v1/namespaces/homelab/pods", [old, fixedPod]);
        server.List("/apis/apps/v1/namespaces/homelab/replicasets", [oldSet, newSet]);
        using var api = server.Connect();

        var notReady = await new ReadinessWaiter(api, new ApiDiscovery(api)).WaitAsync([navidrome], TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(["Deployment/homelab/navidrome: Progressing: 0/1 replicas ready"], notReady);
        Assert.Contains("GET /apis/apps/v1/namespaces/homelab/replicasets?labelSelector=app.kubernetes.io/name=navidrome", server.Requests);
    }

    [Fact]
    public async Task ReplicaSets_the_server_will_not_list_leave_every_selected_pod_to_judge_and_name_the_rule_FakeApiServer_RealNodeCapture()
    {
        var navidrome = RealNode.BeforeDeadline(RealNode.Item("deployments-homelab.json", "navidrome"));
        await using var server = await ServeAsync(navidrome);
        server.List("/api/v1/namespaces/homelab/pods", RealNode.Items("pod-navidrome-imagepull.json"));
        var forbidden = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Forbidden", ["code"] = 403,
            ["message"] = "replicasets.apps is forbidden: User \"system:serviceaccount:homelab-system:homelab-reconciler\" cannot list resource \"replicasets\" in API group \"apps\" in the namespace \"homelab\"",
        };
        server.Answer("GET", "/apis/apps/v1/namespaces/homelab/replicasets", forbidden, HttpStatusCode.Forbidden);
        using var api = server.Connect();

        var line = Assert.Single(await new ReadinessWaiter(api, new ApiDiscovery(api)).WaitAsync([navidrome], TimeSpan.FromMinutes(2), CancellationToken.None));

        Assert.StartsWith("Deployment/homelab/navidrome: Degraded: navidrome: ErrImagePull: docker.io/deluan/navidrome:0.58.5 (", line, StringComparison.Ordinal);
        Assert.EndsWith("; pods not read: forbidden: system:serviceaccount:homelab-system:homelab-reconciler may not list replicasets in namespace homelab (needs a ClusterRole rule: apiGroups [\"apps\"], resources [\"replicasets\"], verbs [\"list\"])", line, StringComparison.Ordinal);
    }

    /// <summary>The ReplicaSet the Deployment controller made for <paramref name="pod"/>: named by its owner reference, current at the Deployment's revision.</summary>
    private static JsonObject ReplicaSetOf(JsonObject deployment, JsonObject pod) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject
        {
            ["name"] = pod["metadata"]!["ownerReferences"]?[0]?["name"]?.GetValue<string>() ?? $"{deployment["metadata"]!["name"]}-{pod["metadata"]!["labels"]!["pod-template-hash"]}",
            ["namespace"] = "homelab",
            ["labels"] = new JsonObject { ["pod-template-hash"] = pod["metadata"]!["labels"]!["pod-template-hash"]!.GetValue<string>() },
            ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = deployment["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>() },
            ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = deployment["metadata"]!["name"]!.GetValue<string>(), ["uid"] = deployment["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true }),
        },
    };

    private static async Task<FakeApiServer> ServeAsync(JsonObject deployment)
    {
        var server = await FakeApiServer.StartAsync();
        var name = deployment["metadata"]!["name"]!.GetValue<string>();
        return server.Answer("GET", "/apis/apps/v1", AppsV1).Answer("GET", $"/apis/apps/v1/namespaces/homelab/deployments/{name}", deployment);
    }
}
