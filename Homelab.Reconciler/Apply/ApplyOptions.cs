namespace Homelab.Reconciler.Apply;

/// <summary>How applies run.</summary>
/// <param name="Concurrency">Objects of one kind rank written at once. <value>Default: 8.</value></param>
/// <param name="Timeout">How long to wait for definitions, namespaces and workloads. <value>Default: 2 minutes.</value></param>
/// <param name="Owner">The owner key labelled onto every object (<c>homelab.dev/owner</c>); null for objects no inventory tracks.</param>
/// <param name="FormerOwner">The key the same owner labelled objects with before (<c>Inventory.InventoryOwner.FileKey</c>): relabelled as ours, not adopted.</param>
public sealed record ApplyOptions(int Concurrency = 8, TimeSpan? Timeout = null, string? Owner = null, string? FormerOwner = null)
{
    public static ApplyOptions Default { get; } = new();

    public TimeSpan WaitTimeout => Timeout ?? TimeSpan.FromMinutes(2);
}
