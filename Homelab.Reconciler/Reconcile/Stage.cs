namespace Homelab.Reconciler.Reconcile;

/// <summary>One step of a cycle: the span it runs under, the reason it fails with and what it has to reach.</summary>
/// <param name="Span">The span's name; null for a step too small to trace on its own.</param>
/// <param name="FailsWith">The cycle's reason when the step fails (a state directory that cannot be used has its own).</param>
/// <param name="Reaches">
/// What a failure may mean was out of reach: <see cref="Blocker.Git"/> unless Git answered, <see cref="Blocker.ApiServer"/>
/// unless the server answered, <see cref="Blocker.None"/> for work done in this process.
/// </param>
/// <param name="Context">Put before the failure's message, when the error alone does not say which step it was.</param>
internal sealed record Stage(string? Span, ReconcileReason FailsWith, Blocker Reaches, string Context = "")
{
    /// <summary>The reason when the build's content filter refused a file (<see cref="Kustomize.FileContentException"/>); null: <see cref="FailsWith"/>.</summary>
    public ReconcileReason? UnreadableFileFailsWith { get; init; }

    public static Stage LoadInventory { get; } = new(null, ReconcileReason.StateDirectoryUnavailable, Blocker.StateDirectory);

    public static Stage Fetch { get; } = new("fetch", ReconcileReason.ArtifactFailed, Blocker.Git);

    /// <summary>
    /// Rendering the revision, its SOPS files decrypted in memory as they are read: a file that cannot be decrypted fails it
    /// with <see cref="ReconcileReason.DecryptionFailed"/>. A fix is a push (or the key), nothing out of reach.
    /// </summary>
    public static Stage Build { get; } = new("build", ReconcileReason.BuildFailed, Blocker.None) { UnreadableFileFailsWith = ReconcileReason.DecryptionFailed };

    public static Stage RebuildInventory { get; } = new(null, ReconcileReason.ReconciliationFailed, Blocker.ApiServer, "the inventory could not be rebuilt from the cluster: ");

    public static Stage Apply { get; } = new("apply", ReconcileReason.ReconciliationFailed, Blocker.ApiServer);

    public static Stage Prune { get; } = new("prune", ReconcileReason.PruneFailed, Blocker.ApiServer);

    /// <summary>A failed read of health is not the cycle's failure: the objects it names are reported not ready.</summary>
    public static Stage Health { get; } = new("health", ReconcileReason.HealthCheckFailed, Blocker.None, "health could not be read: ");
}
