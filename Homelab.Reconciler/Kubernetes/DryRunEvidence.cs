using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Whether an API server stored a server-side apply sent as a dry run. A kube-apiserver's dry run never
/// reaches storage: it runs the update on the stored object and answers with the result, whose
/// resourceVersion is still the stored one (k8s.io/apiserver, registry/generic/registry/dryrun.go,
/// <c>DryRunnableStorage.GuaranteedUpdate</c>). DCP stores it: the answer carries a new resourceVersion,
/// and the object then holds the dry run's values. Fields are those <c>fieldManager</c> owns (<see cref="ManagedFields"/>).
/// </summary>
internal static class DryRunEvidence
{
    /// <summary>
    /// The answer carries another resourceVersion than the object had when read, and changes fields
    /// <paramref name="fieldManager"/> owns. Another writer between our read and the dry run (a controller
    /// updating status) moves the resourceVersion too, so this alone proves nothing: <see cref="Stored"/> decides.
    /// </summary>
    public static bool Suspect(JsonObject read, JsonObject? answer, string fieldManager) =>
        answer is not null
        && ResourceVersion(answer) != ResourceVersion(read)
        && ManagedFields.Fingerprint(answer, fieldManager) != ManagedFields.Fingerprint(read, fieldManager);

    /// <summary>The object as stored now holds the manager's fields as the dry run answered them: the dry run was written.</summary>
    public static bool Stored(JsonObject? stored, JsonObject answer, string fieldManager) =>
        stored is not null && ManagedFields.Fingerprint(stored, fieldManager) == ManagedFields.Fingerprint(answer, fieldManager);

    private static string? ResourceVersion(JsonObject value) =>
        value["metadata"]?["resourceVersion"] is JsonValue version && version.TryGetValue<string>(out var text) ? text : null;
}
