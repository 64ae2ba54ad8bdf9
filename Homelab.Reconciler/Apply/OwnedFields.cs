using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// The fields the reconciler's field manager owns on a live object, as the server stored them. The
/// server's managedFields entry for our Apply names them (fieldsV1); their stored values are already
/// normalised and defaulted by the server, so comparing two of these projections never trips over
/// <c>cpu: 1</c> stored as "1", and status, resourceVersion or fields of other managers never count.
/// Equal fingerprints mean nobody changed what we applied; anything else (an edit, a removed label, a
/// field taken over) changes the projection.
/// </summary>
public static class OwnedFields
{
    /// <summary>
    /// A short hash of our owned fields' stored values, or null when the object has no Apply entry of
    /// ours (created by someone else, or created but not yet applied).
    /// </summary>
    public static string? Fingerprint(JsonObject? live) => ManagedFields.Fingerprint(live, Ownership.FieldManager);

    /// <summary>The live object cut down to the fields in <paramref name="fields"/> (a fieldsV1 set).</summary>
    public static JsonNode? Project(JsonNode? value, JsonObject fields) => ManagedFields.Project(value, fields);
}
