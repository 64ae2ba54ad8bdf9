using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>What a reconciler's state directory holds, as tests inspect it.</summary>
internal static class StateDirectory
{
    /// <summary>The inventory files, one per (cluster, source, path) reconciled with this state directory.</summary>
    public static IReadOnlyList<string> InventoryFiles(string state)
    {
        var folder = Path.Combine(state, "inventories");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
    }

    /// <summary>The entries of the one inventory in the state directory.</summary>
    public static async Task<JsonArray> EntriesAsync(string state) =>
        JsonNode.Parse(await File.ReadAllTextAsync(Assert.Single(InventoryFiles(state))))!["Entries"]!.AsArray();
}
