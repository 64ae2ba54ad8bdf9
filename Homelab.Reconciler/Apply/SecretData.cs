using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// A Secret is applied with <c>data</c> only: its <c>stringData</c> merged in, base64-encoded, as the API server stores
/// it (a key in both takes stringData's value), as Flux's kustomize-controller does before apply. With stringData,
/// server-side apply records ownership of fields the server never stores (kubernetes/kubernetes#108008, and the
/// Kubernetes docs warn of it): our owned-fields fingerprint could not see a value edited by hand, so it was never
/// repaired, and a key removed from Git stayed in the cluster.
/// </summary>
public static class SecretData
{
    /// <summary><paramref name="manifest"/> itself when it is no core/v1 Secret with stringData; else a copy with data only.</summary>
    public static JsonObject Normalize(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if ((string?)manifest["apiVersion"] != "v1" || (string?)manifest["kind"] != "Secret" || manifest["stringData"] is not JsonObject stringData
            || !stringData.All(p => p.Value is JsonValue value && value.TryGetValue<string>(out _)))
        {
            // Not a Secret with stringData, or one the server refuses (a value that is not a string): sent as written.
            return manifest;
        }

        var copy = (JsonObject)manifest.DeepClone();
        var data = copy["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value!.GetValue<string>()));
        }

        copy.Remove("stringData");
        copy["data"] = data.DeepClone();
        return copy;
    }
}
