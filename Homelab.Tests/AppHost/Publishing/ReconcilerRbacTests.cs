using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// What the in-cluster reconciler may do, evaluated over the committed published tree with
/// <see cref="RbacRuleMatcher"/> (no real kube-apiserver runs here; DCP has no RBAC).
/// </summary>
public sealed partial class ReconcilerRbacTests
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
        using var capture = JsonDocument.Parse(File.ReadAllText(RealNodeCapture("forbidden-configmap-apply.json")));
        var root = capture.RootElement;
        Assert.Equal(403, root.GetProperty("code").GetInt32());
        Assert.Equal("Forbidden", root.GetProperty("reason").GetString());
        var refused = ForbiddenMessage().Match(root.GetProperty("message").GetString()!);
        Assert.True(refused.Success, root.GetProperty("message").GetString());

        var rbac = new RbacRuleMatcher(await Publisher.RenderAsync(Publisher.Committed));

        // Exactly that request: the published account, verb, group, resource and namespace.
        Assert.Equal(Reconciler, refused.Groups["user"].Value);
        Assert.True(rbac.Allows(refused.Groups["user"].Value, refused.Groups["verb"].Value, refused.Groups["group"].Value, refused.Groups["resource"].Value, refused.Groups["namespace"].Value), refused.Value);
    }

    /// <summary>A file of ../shared/real-node, found as <see cref="Infrastructure.RealApiServer"/> finds its folder (beside the repository, else /work/shared).</summary>
    private static string RealNodeCapture(string file)
    {
        for (var directory = new DirectoryInfo(TestPaths.RepositoryRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "real-node", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("/work/shared/real-node", file);
    }

    /// <summary>The kube-apiserver's RBAC refusal, as <c>forbidden-configmap-apply.json</c> words it.</summary>
    [GeneratedRegex("""User "(?<user>[^"]+)" cannot (?<verb>\w+) resource "(?<resource>[^"]+)" in API group "(?<group>[^"]*)" in the namespace "(?<namespace>[^"]+)""")]
    private static partial Regex ForbiddenMessage();
}
