using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>A place in an object: a key of a mapping or an index of a sequence, so a value can be read or replaced.</summary>
internal sealed record FieldSlot(JsonNode Container, string Key, int Index, bool Created)
{
    public JsonNode? Value
    {
        get => Container is JsonArray array ? array[Index] : ((JsonObject)Container)[Key];
        set
        {
            if (Container is JsonArray array)
            {
                array[Index] = value;
            }
            else
            {
                ((JsonObject)Container)[Key] = value;
            }
        }
    }
}
