using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Inventory;

namespace Homelab.Reconciler.Service;

/// <summary>The objects last applied, as sent (marked), for the drift watcher to compare live objects with.</summary>
public sealed class DesiredState
{
    private volatile FrozenDictionary<ObjectReference, JsonObject> _objects = FrozenDictionary<ObjectReference, JsonObject>.Empty;

    /// <summary>Raised when the kinds (and namespaces) in use change, so watches follow them; not on every cycle.</summary>
    public event EventHandler? Changed;

    public IReadOnlyDictionary<ObjectReference, JsonObject> Objects => _objects;

    public void Record(IReadOnlyList<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var previous = Collections(_objects.Keys);
        _objects = objects.ToFrozenDictionary(ObjectReference.Of, Ownership.Mark);
        if (!previous.SetEquals(Collections(_objects.Keys)))
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private static HashSet<string> Collections(IEnumerable<ObjectReference> references) =>
        references.Select(r => $"{r.ApiVersion}/{r.Kind}/{r.Namespace}").ToHashSet(StringComparer.Ordinal);
}
