using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Inventory;

namespace Homelab.Reconciler.Service;

/// <summary>The objects last applied, as sent (marked), for the drift watcher to compare live objects with.</summary>
public sealed class DesiredState
{
    private volatile FrozenDictionary<ObjectReference, JsonObject> _objects = FrozenDictionary<ObjectReference, JsonObject>.Empty;

    /// <summary>Raised when a new set is recorded, so watches follow the kinds in use.</summary>
    public event EventHandler? Changed;

    public IReadOnlyDictionary<ObjectReference, JsonObject> Objects => _objects;

    public void Record(IReadOnlyList<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        _objects = objects.ToFrozenDictionary(ObjectReference.Of, Ownership.Mark);
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
