using System.Text.Json;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// Persists the inventory as a JSON file in the state directory, written atomically (temp file + rename)
/// so a kill mid-write leaves the previous inventory. Works on every API server, DCP included (no ConfigMaps there).
/// </summary>
public sealed class InventoryStore(string stateDirectory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string FilePath { get; } = Path.Combine(stateDirectory, "inventory.json");

    public async Task<ObjectInventory> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return ObjectInventory.Empty;
        }

        var stream = File.OpenRead(FilePath);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<ObjectInventory>(stream, Options, cancellationToken).ConfigureAwait(false)
                ?? ObjectInventory.Empty;
        }
    }

    public async Task SaveAsync(ObjectInventory inventory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var stream = File.Create(temporary);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, inventory, Options, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }
}
