using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// Persists one owner's inventory as a JSON file in the state directory
/// (<c>inventories/&lt;owner key&gt;.json</c>), written atomically (temp file + rename) so a kill
/// mid-write leaves the previous inventory. Works on every API server, DCP included (no ConfigMaps there).
/// It logs what it does: an unreadable file set aside, an inventory rebuilt from the cluster.
/// </summary>
public sealed class InventoryStore(string stateDirectory, InventoryOwner owner, ILogger logger)
{
    public InventoryOwner Owner { get; } = owner;

    public string FilePath { get; } = Path.Combine(stateDirectory, "inventories", owner.Key + ".json");

    /// <summary>
    /// The stored inventory; none when there is no file yet or it cannot be read. An unreadable file is
    /// kept aside as <c>.corrupt</c> for inspection, and the caller rebuilds the inventory from the cluster.
    /// </summary>
    public async Task<InventoryLoad> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            return new InventoryLoad(null, null);
        }

        InventoryLoad loaded;
        try
        {
            ObjectInventory? inventory;
            var stream = File.OpenRead(FilePath);
            await using (stream.ConfigureAwait(false))
            {
                inventory = await JsonSerializer.DeserializeAsync(stream, InventoryJson.Default.ObjectInventory, cancellationToken).ConfigureAwait(false);
            }

            loaded = inventory is { Revision: not null, Entries: not null } && inventory.Entries.All(e => e is { Kind: not null, Name: not null, ApiVersion: not null })
                ? new InventoryLoad(inventory, null)
                : SetAside("it does not hold an inventory");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            loaded = SetAside(ex.Message.ReplaceLineEndings(" "));
        }

        if (loaded.Problem is not null && Owner.HasCluster)
        {
            logger.LogWarning("Inventory of {Owner}: {Problem}; rebuilding it from the cluster", Owner.Description, loaded.Problem);
        }
        else if (loaded.Problem is not null)
        {
            // Observe-only has no cluster to rebuild from; it applies and prunes nothing either.
            logger.LogWarning("Inventory of {Owner}: {Problem}; observe-only (no cluster), so nothing is rebuilt or pruned", Owner.Description, loaded.Problem);
        }

        return loaded;
    }

    /// <summary>
    /// The inventory to prune against: <paramref name="loaded"/>'s, else (a first cycle, a lost or unreadable
    /// file) the one rebuilt from the objects in the cluster labelled with this owner.
    /// </summary>
    public async Task<ObjectInventory> RebuildWhenMissingAsync(InventoryLoad loaded, InventoryRecovery recovery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(recovery);
        if (loaded.Inventory is not null)
        {
            return loaded.Inventory;
        }

        var rebuilt = await recovery.RecoverAsync(Owner, cancellationToken).ConfigureAwait(false);
        if (rebuilt.Entries.Count > 0)
        {
            logger.LogWarning("Rebuilt the inventory of {Owner} from the cluster: {Count} objects", Owner.Description, rebuilt.Entries.Count);
        }

        return rebuilt;
    }

    public async Task SaveAsync(ObjectInventory inventory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var stream = File.Create(temporary);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, inventory, InventoryJson.Default.ObjectInventory, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    private InventoryLoad SetAside(string reason)
    {
        var corrupt = FilePath + ".corrupt";
        try
        {
            File.Move(FilePath, corrupt, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new InventoryLoad(null, $"{FilePath} is unreadable ({reason}) and could not be moved aside ({ex.Message})");
        }

        return new InventoryLoad(null, $"{FilePath} is unreadable ({reason}); kept as {corrupt}");
    }
}
