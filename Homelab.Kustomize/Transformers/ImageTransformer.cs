using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Applies an <c>images</c> entry: every <c>image</c> under any <c>containers</c>/<c>initContainers</c>
/// list (kustomize searches the whole object), plus image volume references in pod specs.
/// </summary>
/// <remarks>An <c>ImageTagTransformer</c> config's <c>fieldSpecs</c> (<paramref name="extra"/>) name more image fields, as for custom resources.</remarks>
internal sealed class ImageTransformer(string name, string? newName, string? newTag, string? digest, IReadOnlyList<FieldSpec>? extra = null)
{
    public void Apply(IEnumerable<Resource> resources)
    {
        foreach (var resource in resources.Where(r => r.Kind != "CustomResourceDefinition"))
        {
            Walk(resource.Content);
            foreach (var path in new[] { "spec/volumes/image/reference", "spec/template/spec/volumes/image/reference" })
            {
                FieldPaths.Visit(resource.Content, path, false, (parent, key) => Update(parent, key));
            }
            foreach (var spec in (extra ?? []).Where(s => s.Selects(resource)))
            {
                FieldPaths.Visit(resource.Content, spec.Path, false, (parent, key) => Update(parent, key));
            }
        }
    }

    private void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key is "containers" or "initContainers" && value is JsonArray containers)
                    {
                        foreach (var container in containers.OfType<JsonObject>())
                        {
                            Update(container, "image");
                        }
                    }
                    Walk(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item);
                }
                break;
        }
    }

    private void Update(JsonObject parent, string key)
    {
        if (parent[key] is not JsonValue value || !value.TryGetValue<string>(out var image))
        {
            return;
        }
        var (imageName, tag, imageDigest) = Split(image);
        if (imageName != name)
        {
            return;
        }
        var result = newName ?? imageName;
        if (digest is not null)
        {
            result += "@" + digest;
        }
        else if (newTag is not null)
        {
            result += ":" + newTag;
        }
        else
        {
            result += (tag is null ? "" : ":" + tag) + (imageDigest is null ? "" : "@" + imageDigest);
        }
        parent[key] = result;
    }

    /// <summary>Splits "registry:port/repo:tag@digest"; a colon before the last slash belongs to the registry.</summary>
    internal static (string Name, string? Tag, string? Digest) Split(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/'))
        {
            return (image[..colon], image[(colon + 1)..], digest);
        }
        return (image, null, digest);
    }
}
