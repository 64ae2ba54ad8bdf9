using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// What the in-cluster reconciler may do, evaluated over the committed published tree with
/// <see cref="RbacRuleMatcher"/> (no real kube-apiserver runs here; DCP has no RBAC).
/// </summary>
public sealed class ReconcilerRbacTests
{
    private const string Reconciler = "system:serviceaccount:homelab-system:homelab-reconciler";

    /// <summary>Every verb apply, prune, drift watch and health use.</summary>
    private static readonly string[] Verbs = ["get", "list", "watch", "create", "patch", "update", "delete"];

    [Theory]
    [InlineData("", "configmaps")]
    [InlineData("", "secrets")]
    [InlineData("batch", "cronjobs")]
    [InlineData("networking.k8s.io", "ingresses")]
    [InlineData("networking.k8s.io", "networkpolicies")]
    [InlineData("rbac.authorization.k8s.io", "roles")]
    [InlineData("example.com", "widgets")]
    public async Task The_published_role_lets_the_reconciler_apply_a_kind_the_tree_does_not_hold_yet_RuleMatcher(string group, string resource)
    {
        var rbac = new RbacRuleMatcher(await Publisher.RenderAsync(Publisher.Committed));

        foreach (var ns in new[] { "homelab", "homelab-system", "a-namespace-added-later" })
        {
            Assert.All(Verbs, verb => Assert.True(rbac.Allows(Reconciler, verb, group, resource, ns), $"{verb} {group}/{resource} in {ns}"));
        }

        // The matcher refuses what nothing grants: another account of the same namespace.
        Assert.False(rbac.Allows("system:serviceaccount:homelab-system:default", "patch", group, resource, "homelab"));
    }

    [Fact]
    public async Task The_rbac_file_says_the_reconciler_is_cluster_admin_and_why()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var text = File.ReadAllText(Path.Combine(Publisher.Committed, "homelab-system", "rbac.yaml"));

        // cluster-admin's rules under the reconciler's own name; the comment says so to whoever reads the tree.
        var role = Assert.Single(objects.OfType<V1ClusterRole>());
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["*"], rule.ApiGroups);
        Assert.Equal(["*"], rule.Resources);
        Assert.Equal(["*"], rule.Verbs);
        Assert.Contains("cluster-admin", text, StringComparison.Ordinal);
        Assert.Contains("whoever can push", text, StringComparison.Ordinal);
        Assert.Equal(role.Metadata.Name, Assert.Single(objects.OfType<V1ClusterRoleBinding>()).RoleRef.Name);
    }

    [Fact]
    public async Task The_request_a_real_node_refused_is_granted_by_the_published_rules_RealNodeCapture()
    {
        var capture = RealNode.Read("forbidden-configmap-apply.json");
        Assert.Equal(403, capture["code"]!.GetValue<int>());
        var refused = ForbiddenRule.Parse(capture);
        Assert.NotNull(refused);

        var rbac = new RbacRuleMatcher(await Publisher.RenderAsync(Publisher.Committed));

        // Exactly that request: the published account, verb, group, resource and namespace.
        Assert.Equal(Reconciler, refused.User);
        Assert.True(rbac.Allows(refused.User, refused.Verb, refused.ApiGroup ?? string.Empty, refused.Resource!, refused.Namespace!), refused.ToString());
    }
}
