namespace Homelab.Reconciler.Inventory;

/// <summary>What reading the stored inventory gave.</summary>
/// <param name="Inventory">The inventory; null when there is none or it was unreadable.</param>
/// <param name="Problem">Why a file that exists could not be used; null when there was nothing wrong.</param>
public sealed record InventoryLoad(ObjectInventory? Inventory, string? Problem);
