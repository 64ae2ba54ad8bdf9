using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>A Forbidden names the missing RBAC rule (issue 17, item 7): parsed once, from the Status object, into a value.</summary>
public sealed class ForbiddenRuleTests
{
    private const string ConfigMapRule = """forbidden: system:serviceaccount:homelab-system:homelab-reconciler may not patch configmaps in namespace homelab (needs a ClusterRole rule: apiGroups [""], resources ["configmaps"], verbs ["patch"])""";

    [Fact]
    public void The_real_nodes_refused_ConfigMap_apply_names_user_verb_resource_group_and_namespace_RealNodeCapture()
    {
        var rule = ForbiddenRule.Parse(RealNode.Read("forbidden-configmap-apply.json"));
        Assert.Equal(new ForbiddenRule("system:serviceaccount:homelab-system:homelab-reconciler", "patch", "configmaps", "", "homelab", null, null), rule);
        Assert.Equal(ConfigMapRule, rule!.ToString());
    }

    [Fact]
    public async Task A_refused_apply_says_which_rule_is_missing_FakeApiServer_RealNodeCapture()
    {
        const string path = "/api/v1/namespaces/homelab/configmaps/extra-cm";
        await using var server = await FakeApiServer.StartAsync();
        server.Answer("PATCH", path, RealNode.Read("forbidden-configmap-apply.json"), HttpStatusCode.Forbidden);
        using var api = server.Connect();
        var manifest = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "extra-cm", ["namespace"] = "homelab" } };

        var error = await Assert.ThrowsAsync<KubeApiException>(() => api.ApplyAsync(path, manifest, "homelab-reconciler", dryRun: false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal($"PATCH {path}: HTTP 403: {ConfigMapRule}", error.Message);
        Assert.Equal("configmaps", error.Forbidden?.Resource);
    }

    [Fact]
    public async Task A_ConfigMap_the_ServiceAccount_may_not_apply_fails_its_stage_naming_the_rule_FakeApiServer_RealNodeCapture()
    {
        const string path = "/api/v1/namespaces/homelab/configmaps/extra-cm";
        await using var server = await FakeApiServer.StartAsync();
        var coreV1 = new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["groupVersion"] = "v1",
            ["resources"] = new JsonArray(new JsonObject { ["name"] = "configmaps", ["namespaced"] = true, ["kind"] = "ConfigMap", ["verbs"] = new JsonArray("get", "list", "patch") }),
        };
        server.Answer("GET", "/api/v1", coreV1)
            .List("/api/v1/namespaces/homelab/configmaps", [])
            .Answer("PATCH", path, RealNode.Read("forbidden-configmap-apply.json"), HttpStatusCode.Forbidden);
        using var api = server.Connect();
        var manifest = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "extra-cm", ["namespace"] = "homelab" }, ["data"] = new JsonObject { ["a"] = "b" } };

        var error = await Assert.ThrowsAsync<ApplyException>(() => new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default).ApplyAsync([manifest], dryRun: false, CancellationToken.None));

        Assert.Equal([$"ConfigMap/homelab/extra-cm: PATCH {path}: HTTP 403: {ConfigMapRule}"], error.Failures);
        Assert.DoesNotContain(server.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) && !r.Contains("dryRun=All", StringComparison.Ordinal));
    }

    // Messages in the apiserver's wording (k8s.io/apiserver responsewriters.forbiddenMessage) for the cases the capture does not cover.
    [Theory]
    [InlineData("""clusterroles.rbac.authorization.k8s.io "x" is forbidden: User "u" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope""", """forbidden: u may not create clusterroles at the cluster scope (needs a ClusterRole rule: apiGroups ["rbac.authorization.k8s.io"], resources ["clusterroles"], verbs ["create"])""")]
    [InlineData("deployments.apps \"web\" is forbidden: User \"u\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"homelab\"", """forbidden: u may not patch deployments/scale in namespace homelab (needs a ClusterRole rule: apiGroups ["apps"], resources ["deployments/scale"], verbs ["patch"])""")]
    [InlineData("forbidden: User \"u\" cannot get path \"/apis\"", """forbidden: u may not get path /apis (needs a ClusterRole rule: nonResourceURLs ["/apis"], verbs ["get"])""")]
    [InlineData("""pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "homelab": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found""", """forbidden: u may not list pods in namespace homelab (needs a ClusterRole rule: apiGroups [""], resources ["pods"], verbs ["list"]); RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found""")]
    public void Each_authorizer_refusal_names_its_rule(string message, string expected) =>
        Assert.Equal(expected, ForbiddenRule.Parse(Status(403, message))?.ToString());

    [Theory]
    [InlineData(403, """pods "web" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true""")]
    [InlineData(403, """pods "web" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=2, limited: cpu=2""")]
    [InlineData(404, "User \"u\" cannot get resource \"pods\" in API group \"\" in the namespace \"homelab\"")]
    public void A_refusal_that_is_not_RBACs_is_no_rule(int code, string message) =>
        Assert.Null(ForbiddenRule.Parse(Status(code, message)));

    private static JsonObject Status(int code, string message) =>
        new() { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Forbidden", ["code"] = code, ["message"] = message };
}
