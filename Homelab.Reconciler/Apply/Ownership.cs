using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>The marks the reconciler puts on what it applies, and the ones users put to opt out.</summary>
public static class Ownership
{
    /// <summary>The server-side apply field manager.</summary>
    public const string FieldManager = "homelab-reconciler";

    /// <summary>Label on every applied object; prune deletes nothing without it.</summary>
    public const string ManagedByLabel = "homelab.dev/managed-by";

    public const string ManagedByValue = "homelab-reconciler";

    /// <summary>Label naming the owner (source, path; the cluster is where the label is) by its key: <c>Inventory.InventoryOwner.Key</c>.</summary>
    public const string OwnerLabel = "homelab.dev/owner";

    /// <summary>Hash of the manifest last applied: a changed manifest (a removed field too) is re-applied.</summary>
    public const string AppliedHashAnnotation = "homelab.dev/applied-hash";

    public const string PruneAnnotation = "homelab.dev/prune";
    public const string FluxPruneAnnotation = "kustomize.toolkit.fluxcd.io/prune";
    public const string ReconcileAnnotation = "homelab.dev/reconcile";
    public const string FluxReconcileAnnotation = "kustomize.toolkit.fluxcd.io/reconcile";
    public const string Disabled = "disabled";

    /// <summary>The manifest as it is sent: a copy with the ownership labels and the hash of the original.</summary>
    /// <param name="manifest">The object as rendered from Git.</param>
    /// <param name="owner">The owner's key, or null where no inventory tracks the object (bootstrap).</param>
    public static JsonObject Mark(JsonObject manifest, string? owner)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var marked = (JsonObject)manifest.DeepClone();
        var metadata = marked["metadata"] as JsonObject ?? [];
        marked["metadata"] = metadata;
        var labels = metadata["labels"] as JsonObject ?? [];
        metadata["labels"] = labels;
        labels[ManagedByLabel] = ManagedByValue;
        if (owner is not null)
        {
            labels[OwnerLabel] = owner;
        }
        var annotations = metadata["annotations"] as JsonObject ?? [];
        metadata["annotations"] = annotations;
        annotations[AppliedHashAnnotation] = Hash(manifest);
        return marked;
    }

    public static string Hash(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToJsonString())))[..16];
    }

    public static bool IsManaged(JsonObject? live) =>
        Label(live, ManagedByLabel) == ManagedByValue;

    /// <summary>The owner key on a live object; null on objects applied before owners were recorded.</summary>
    public static string? Owner(JsonObject? live) => Label(live, OwnerLabel);

    private static string? Label(JsonObject? live, string key) =>
        live?["metadata"]?["labels"]?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Honours <c>homelab.dev/prune: disabled</c> and Flux's <c>kustomize.toolkit.fluxcd.io/prune: disabled</c>.</summary>
    public static bool IsPruneDisabled(JsonObject? manifest) =>
        Annotation(manifest, PruneAnnotation) == Disabled || Annotation(manifest, FluxPruneAnnotation) == Disabled;

    /// <summary>Honours <c>homelab.dev/reconcile: disabled</c> and Flux's equivalent on a live object: it is left as it is.</summary>
    public static bool IsReconcileDisabled(JsonObject? live) =>
        Annotation(live, ReconcileAnnotation) == Disabled || Annotation(live, FluxReconcileAnnotation) == Disabled;

    public static string? Annotation(JsonObject? manifest, string key) =>
        manifest?["metadata"]?["annotations"]?[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
