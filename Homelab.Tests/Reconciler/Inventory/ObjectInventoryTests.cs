using Homelab.Reconciler.Inventory;

namespace Homelab.Tests.Reconciler.Inventory;

public sealed class ObjectInventoryTests
{
    private static ObjectReference Ref(string kind, string name, string apiVersion = "apps/v1", string? ns = "apps") => new(apiVersion, kind, ns, name);

    [Fact]
    public void Removed_lists_what_the_previous_inventory_had_in_reverse_apply_order()
    {
        var previous = new ObjectInventory("r1", [Ref("Namespace", "apps", "v1", null), Ref("ConfigMap", "cfg", "v1"), Ref("Deployment", "web"), Ref("Deployment", "api")]);
        var current = new ObjectInventory("r2", [Ref("Namespace", "apps", "v1", null), Ref("Deployment", "web")]);

        Assert.Equal([Ref("Deployment", "api"), Ref("ConfigMap", "cfg", "v1")], current.Removed(previous));
    }

    [Fact]
    public void The_api_version_does_not_change_an_objects_identity()
    {
        var previous = new ObjectInventory("r1", [Ref("Deployment", "web", "apps/v1beta1")]);
        var current = new ObjectInventory("r2", [Ref("Deployment", "web", "apps/v1")]);

        Assert.Empty(current.Removed(previous));
    }

    [Fact]
    public void Counts_by_kind()
    {
        var inventory = new ObjectInventory("r", [Ref("Deployment", "a"), Ref("Deployment", "b"), Ref("Service", "a", "v1")]);

        Assert.Equal(new Dictionary<string, int> { ["Deployment"] = 2, ["Service"] = 1 }, inventory.CountByKind());
    }

    [Fact]
    public async Task The_store_survives_a_restart_and_writes_atomically()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var inventory = new ObjectInventory("main@sha1:abc", [Ref("Deployment", "web"), Ref("Namespace", "apps", "v1", null)]);

        await new InventoryStore(directory).SaveAsync(inventory, default);
        var loaded = await new InventoryStore(directory).LoadAsync(default);

        Assert.Equal(inventory.Revision, loaded.Revision);
        Assert.Equal(inventory.Entries, loaded.Entries);
        Assert.False(File.Exists(Path.Combine(directory, "inventory.json.tmp")));
    }

    [Fact]
    public async Task A_missing_store_is_an_empty_inventory()
    {
        var loaded = await new InventoryStore(Directory.CreateTempSubdirectory("homelab-state-").FullName).LoadAsync(default);

        Assert.Empty(loaded.Entries);
    }
}
