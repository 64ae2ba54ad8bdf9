using System.Text.Json.Serialization;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// The inventory file's serializer, generated at compile time so the native executable needs no
/// reflection. Property names as declared (PascalCase) and indented, as the files have always been.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ObjectInventory))]
internal sealed partial class InventoryJson : JsonSerializerContext;
