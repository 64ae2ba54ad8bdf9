using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Inventory;

public sealed class ObjectInventoryTests
{
    private static readonly InventoryOwner Owner = new("https://127.0.0.1:6443/", "https://example.org/home.git", "clusters/a");

    private static InventoryStore Store(string directory, InventoryOwner owner) => new(directory, owner, NullLogger.Instance);

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
        var inventory = new ObjectInventory("main@sha1:abc", [Ref("Deployment", "web"), Ref("Namespace", "apps", "v1", null)], new Dictionary<string, string> { ["apps/Deployment/apps/web"] = "0123456789abcdef" });

        await Store(directory, Owner).SaveAsync(inventory, default);
        var loaded = (await Store(directory, Owner).LoadAsync(default)).Inventory!;

        Assert.Equal(inventory.Revision, loaded.Revision);
        Assert.Equal(inventory.Entries, loaded.Entries);
        Assert.Equal(inventory.Fingerprints, loaded.Fingerprints);
        Assert.False(File.Exists(Store(directory, Owner).FilePath + ".tmp"));
    }

    [Fact]
    public async Task A_missing_store_is_no_inventory_and_no_problem()
    {
        var loaded = await Store(Directory.CreateTempSubdirectory("homelab-state-").FullName, Owner).LoadAsync(default);

        Assert.Null(loaded.Inventory);
        Assert.Null(loaded.Problem);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"Revision":"r","Entries":[null]}""")]
    [InlineData("""{"Revision":"r"}""")]
    [InlineData("")]
    public async Task A_corrupt_store_is_set_aside_and_named_never_thrown(string content)
    {
        var store = Store(Directory.CreateTempSubdirectory("homelab-state-").FullName, Owner);
        Directory.CreateDirectory(Path.GetDirectoryName(store.FilePath)!);
        await File.WriteAllTextAsync(store.FilePath, content);

        var loaded = await store.LoadAsync(default);

        Assert.Null(loaded.Inventory);
        Assert.Contains($"kept as {store.FilePath}.corrupt", loaded.Problem, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllTextAsync(store.FilePath + ".corrupt"));
        Assert.False(File.Exists(store.FilePath));
    }

    [Fact]
    public async Task A_corrupt_store_read_for_a_diff_is_named_and_left_in_place()
    {
        var store = Store(Directory.CreateTempSubdirectory("homelab-state-").FullName, Owner);
        Directory.CreateDirectory(Path.GetDirectoryName(store.FilePath)!);
        await File.WriteAllTextAsync(store.FilePath, "{ not json");

        var read = await store.ReadAsync(default);

        Assert.Null(read.Inventory);
        Assert.Contains($"{store.FilePath} is unreadable", read.Problem, StringComparison.Ordinal);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(store.FilePath));
        Assert.False(File.Exists(store.FilePath + ".corrupt"));
    }

    [Fact]
    public void Each_cluster_source_and_path_has_its_own_inventory_and_a_rotated_url_token_does_not_count()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        InventoryOwner[] owners =
        [
            Owner,
            Owner with { Path = "clusters/b" },
            Owner with { Source = "https://example.org/other.git" },
            Owner with { Cluster = "https://10.96.0.1:443/" },
        ];

        Assert.Equal(owners.Length, owners.Select(o => Store(directory, o).FilePath).Distinct().Count());
        Assert.All(owners, o => Assert.Matches("^[0-9a-f]{16}$", o.Key));
        Assert.Equal(Owner.Key, (Owner with { Path = "./clusters/a/" }).Key);
        Assert.Equal(
            new InventoryOwner("c", "https://x-access-token:one@example.org/home.git", "p").Key,
            new InventoryOwner("c", "https://x-access-token:two@example.org/home.git", "p").Key);
    }
}
