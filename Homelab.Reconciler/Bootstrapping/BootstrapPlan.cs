using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Bootstrapping;

/// <summary>What bootstrap applies, split by who owns it afterwards.</summary>
/// <param name="OutOfBand">The Secrets from the AppHost's parameters (never in Git), and the apps' namespace when Git has none: no reconciler's inventory holds them.</param>
/// <param name="FromGit">What the cluster's tree renders: the in-cluster reconciler will own it.</param>
internal sealed record BootstrapPlan(IReadOnlyList<JsonObject> OutOfBand, IReadOnlyList<JsonObject> FromGit)
{
    /// <summary>Both, in apply order.</summary>
    public IReadOnlyList<JsonObject> All => Apply.ApplyOrder.Sort([.. OutOfBand, .. FromGit]);
}
