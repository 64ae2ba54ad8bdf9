using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// Whether an API server stored a server-side apply sent as a dry run. A kube-apiserver's dry run never
/// reaches storage: it runs the update on the stored object and answers with the result, whose
/// resourceVersion is still the stored one (k8s.io/apiserver, registry/generic/registry/dryrun.go,
/// <c>DryRunnableStorage.GuaranteedUpdate</c>). DCP stores it: the answer carries a new resourceVersion,
/// and the object then holds the dry run's values.
/// </summary>
internal static class DryRunEvidence
{
    /// <summary>
    /// The answer carries another resourceVersion than the object had when read, and changes fields we own.
    /// Another writer between our read and the dry run (a controller updating status) moves the
    /// resourceVersion too, so this alone proves nothing: <see cref="Stored"/> decides.
    /// </summary>
    public static bool Suspect(JsonObject read, JsonObject? answer) =>
        answer is not null
        && ResourceVersion(answer) != ResourceVersion(read)
        && OwnedFields.Fingerprint(answer) != OwnedFields.Fingerprint(read);

    /// <summary>The object as stored now holds our fields as the dry run answered them: the dry run was written.</summary>
    public static bool Stored(JsonObject? stored, JsonObject answer) =>
        stored is not null && OwnedFields.Fingerprint(stored) == OwnedFields.Fingerprint(answer);

    private static string? ResourceVersion(JsonObject value) =>
        value["metadata"]?["resourceVersion"] is JsonValue version && version.TryGetValue<string>(out var text) ? text : null;
}
