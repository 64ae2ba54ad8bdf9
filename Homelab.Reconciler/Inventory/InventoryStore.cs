using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// Persists one owner's inventory as a JSON file in the state directory
/// (<c>inventories/&lt;owner file key&gt;.json</c>, one per cluster, source and path), written atomically (temp file + rename) so a kill
/// mid-write leaves the previous inventory. Works on every API server, one without core/v1 included (no ConfigMaps needed).
/// It logs what it does: an unreadable file set aside, an older version's inventory taken over, an
/// inventory rebuilt from the cluster.
/// </summary>
public sealed class InventoryStore(string stateDirectory, InventoryOwner owner, ILogger logger)
{
    public InventoryOwner Owner { get; } = owner;

    public string FilePath { get; } = Path.Combine(stateDirectory, "inventories", owner.FileKey + ".json");

    /// <summary>Where versions before per-owner inventories kept their one inventory (same format).</summary>
    public string LegacyFilePath { get; } = Path.Combine(stateDirectory, "inventory.json");

    /// <summary>
    /// The stored inventory (an older version's taken over when this owner has none); none when there is no
    /// file yet or it cannot be read. An unreadable file is kept aside as <c>.corrupt</c> for inspection,
    /// and <see cref="RebuildWhenMissingAsync"/> rebuilds the inventory from the cluster.
    /// </summary>
    public Task<InventoryLoad> LoadAsync(CancellationToken cancellationToken) => LoadAsync(readOnly: false, cancellationToken);

    /// <summary>
    /// The stored inventory as <see cref="LoadAsync(CancellationToken)"/> finds it, for a command that changes
    /// nothing (<c>diff</c>): an older version's inventory is read where it is and an unreadable file is left in place.
    /// </summary>
    public Task<InventoryLoad> ReadAsync(CancellationToken cancellationToken) => LoadAsync(readOnly: true, cancellationToken);

    private async Task<InventoryLoad> LoadAsync(bool readOnly, CancellationToken cancellationToken)
    {
        var path = FilePath;
        if (!readOnly)
        {
            TakeOverLegacyInventory();
        }
        else if (!File.Exists(FilePath) && Owner.HasCluster && File.Exists(LegacyFilePath))
        {
            path = LegacyFilePath;
        }

        if (!File.Exists(path))
        {
            return new InventoryLoad(null, null);
        }

        InventoryLoad loaded;
        try
        {
            ObjectInventory? inventory;
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                inventory = await JsonSerializer.DeserializeAsync(stream, InventoryJson.Default.ObjectInventory, cancellationToken).ConfigureAwait(false);
            }

            loaded = inventory is { Revision: not null, Entries: not null } && inventory.Entries.All(e => e is { Kind: not null, Name: not null, ApiVersion: not null })
                ? new InventoryLoad(inventory, null)
                : Unreadable(path, "it does not hold an inventory", readOnly);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            loaded = Unreadable(path, ex.Message.ReplaceLineEndings(" "), readOnly);
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

    /// <summary>
    /// An older version's single inventory becomes the inventory of the first owner with a cluster that has
    /// none: otherwise what left Git in the first cycle after an upgrade would be left behind, since its
    /// objects carry no owner label to rebuild from. One rename, so exactly one owner gets it. Observe-only
    /// never takes it: it would keep it from the cluster it belongs to.
    /// </summary>
    private void TakeOverLegacyInventory()
    {
        if (!Owner.HasCluster || File.Exists(FilePath) || !File.Exists(LegacyFilePath))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.Move(LegacyFilePath, FilePath, overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(LegacyFilePath))
            {
                logger.LogWarning("Inventory of {Owner}: the older version's {Legacy} could not be taken over ({Reason}); rebuilding it from the cluster", Owner.Description, LegacyFilePath, ex.Message);
            }

            // Gone: another owner took it first.
            return;
        }

        logger.LogInformation("Inventory of {Owner}: took over {Legacy} from an older version as {File}", Owner.Description, LegacyFilePath, FilePath);
    }

    private InventoryLoad Unreadable(string path, string reason, bool readOnly) =>
        readOnly ? new InventoryLoad(null, $"{path} is unreadable ({reason}); left in place") : SetAside(reason);

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
