using System.Diagnostics;
using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Secrets;
using Homelab.Reconciler.Source;
using Homelab.Reconciler.Telemetry;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// One reconcile: fetch -> build (SOPS files decrypted in memory as they are read) -> apply -> prune -> health. Each stage returns data; a failing stage
/// ends the cycle with its typed reason and nothing after it runs, so a broken commit, a bad
/// manifest or an unreachable server never deletes anything. No exception leaves a stage: whatever
/// goes wrong is a <see cref="ReconcileResult"/> with a reason. The inventory belongs to one
/// (cluster, source, path) (<see cref="InventoryOwner"/>); when it is missing or unreadable it is
/// rebuilt from the objects in the cluster labelled with that owner. Without a cluster
/// (<paramref name="api"/> null) it fetches and builds only: observe-only. A diff
/// (<see cref="CycleMode.DryRun"/>) runs the same stages and guards and writes nothing.
/// </summary>
public sealed class ReconcilePipeline(
    GitSource source,
    KustomizeBuilder builder,
    KubeApi? api,
    ReconcileOptions options,
    ILogger<ReconcilePipeline> logger,
    IProgress<ApplyProgress>? progress = null)
{
    private readonly ApiDiscovery? _discovery = api is null ? null : new ApiDiscovery(api);
    private readonly InventoryStore _inventory = options.Inventory(api?.Server, logger);
    private readonly ApiServerAdapter? _server = api is null ? null : new ApiServerAdapter(api);
    private readonly ManifestDecryptor _decryptor = new(() => ReconcilerAgeKeys.Load(options.AgeKeyFile, Environment.GetEnvironmentVariable), logger);
    private bool _storedDryRunsLogged;

    /// <param name="skipWhenUnchanged">True for <see cref="CycleMode.ApplyWhenChanged"/>.</param>
    /// <param name="cancellationToken">Stops the cycle.</param>
    public Task<ReconcileResult> RunAsync(bool skipWhenUnchanged, CancellationToken cancellationToken) =>
        RunAsync(skipWhenUnchanged, signals: null, cancellationToken);

    /// <inheritdoc cref="RunAsync(bool, CancellationToken)"/>
    /// <param name="skipWhenUnchanged">True for <see cref="CycleMode.ApplyWhenChanged"/>.</param>
    /// <param name="signals">What the service learns as the cycle runs, and what ends its health wait early.</param>
    /// <param name="cancellationToken">Stops the cycle.</param>
    public Task<ReconcileResult> RunAsync(bool skipWhenUnchanged, CycleSignals? signals, CancellationToken cancellationToken) =>
        RunAsync(skipWhenUnchanged ? CycleMode.ApplyWhenChanged : CycleMode.Apply, signals, cancellationToken);

    /// <summary>What a reconcile would create, configure and delete (<see cref="CycleMode.DryRun"/>).</summary>
    public Task<ReconcileResult> DiffAsync(CancellationToken cancellationToken) => RunAsync(CycleMode.DryRun, signals: null, cancellationToken);

    private async Task<ReconcileResult> RunAsync(CycleMode mode, CycleSignals? signals, CancellationToken cancellationToken)
    {
        using var activity = ReconcilerTelemetry.Source.StartActivity(mode == CycleMode.DryRun ? "diff" : "reconcile");
        var stopwatch = Stopwatch.StartNew();
        var result = await RunStagesAsync(mode, signals ?? new CycleSignals(), stopwatch, cancellationToken).ConfigureAwait(false) with { Duration = stopwatch.Elapsed };
        activity?.SetTag("homelab.revision", result.AttemptedRevision);
        activity?.SetTag("homelab.reason", result.Reason.ToString());
        activity?.SetStatus(result.Ready ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Ready ? null : result.Message);
        if (mode != CycleMode.DryRun)
        {
            ReconcilerTelemetry.RecordCycle(result.Ready ? "success" : "failure", result.Duration, result.Changes, result.Inventory?.Values.Sum());
        }

        return result;
    }

    private async Task<ReconcileResult> RunStagesAsync(CycleMode mode, CycleSignals signals, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var dryRun = mode == CycleMode.DryRun;
        var stages = new StageRunner(cancellationToken);

        // Load the inventory: a state directory that cannot be read fails the cycle, typed, and is retried.
        var load = await stages.RunAsync(Stage.LoadInventory, _ => LoadInventoryAsync(dryRun, cancellationToken)).ConfigureAwait(false);
        if (load.Failed)
        {
            return Fail(load.Failure, string.Empty, inventory: null);
        }

        var previous = load.Value.Inventory ?? ObjectInventory.Empty;

        // Fetch the source.
        var fetch = await stages.RunAsync(Stage.Fetch, span => FetchAsync(span, cancellationToken)).ConfigureAwait(false);
        if (fetch.Failed)
        {
            return Fail(fetch.Failure, string.Empty, previous);
        }

        var (artifact, revision) = (fetch.Value, fetch.Value.Revision);
        signals.Fetched?.Invoke(revision);
        if (mode == CycleMode.ApplyWhenChanged && !artifact.Changed && load.Value.Inventory?.Revision == revision)
        {
            return ReconcileResult.Unchanged(revision, previous.CountByKind()) with { Objects = previous.Entries };
        }

        // Build the manifests, decrypting SOPS files as they are read: one that cannot be decrypted fails the revision before anything is applied or pruned.
        var build = await stages.RunAsync(Stage.Build, span => Task.FromResult(Build(span, artifact, revision))).ConfigureAwait(false);
        if (build.Failed)
        {
            return Fail(build.Failure, revision, previous);
        }

        var objects = build.Value;
        if (api is null || _discovery is null)
        {
            logger.LogInformation("Observe-only: revision {Revision} builds {Count} objects; nothing applied", revision, objects.Count);
            return ReconcileResult.Planned(revision, $"observe-only: no cluster; {revision} builds {objects.Count} objects", ChangeSet.Empty, previous.CountByKind()) with { Objects = previous.Entries };
        }

        // First cycle, or the state directory was lost: what this owner applied is labelled in the cluster.
        var rebuild = await stages.RunAsync(Stage.RebuildInventory, _ => _inventory.RebuildWhenMissingAsync(load.Value, new InventoryRecovery(api, _discovery), cancellationToken)).ConfigureAwait(false);
        if (rebuild.Failed)
        {
            return Fail(rebuild.Failure, revision, previous);
        }

        previous = rebuild.Value;
        if (objects.Count == 0 && previous.Entries.Count > 0 && !options.AllowEmpty)
        {
            var refusal = $"{options.Path} renders no objects at {revision}; {previous.Entries.Count} would be pruned (use --allow-empty to allow)";
            return Fail(new StageFailure(ReconcileReason.EmptyRevisionRefused, Blocker.None, refusal), revision, previous);
        }

        // Apply in stages, then record old and new together: a crash before the prune finishes loses nothing to prune later.
        var apply = await stages.RunAsync(Stage.Apply, span => ApplyAsync(span, api, _discovery, objects, previous, revision, dryRun, cancellationToken), dryRun ? null : UnvalidatedNote).ConfigureAwait(false);
        if (apply.Failed)
        {
            return Fail(apply.Failure, revision, previous);
        }

        var (applied, current, removed, unvalidated) = apply.Value;

        // Prune what left Git.
        var prune = await stages.RunAsync(Stage.Prune, span => PruneAsync(span, api, _discovery, removed, current, dryRun, cancellationToken)).ConfigureAwait(false);
        if (prune.Failed)
        {
            return Fail(prune.Failure, revision, previous, applied);
        }

        var changes = applied.Concat(prune.Value);
        if (dryRun)
        {
            logger.LogInformation("Diff of revision {Revision}: {Changes}", revision, changes.Summary());
            return ReconcileResult.Planned(revision, $"Diff of revision {revision}: {changes.Summary()}", changes, previous.CountByKind()) with { Objects = previous.Entries };
        }

        // What is on the server now is known: drift during the health wait is judged against it.
        signals.Applied?.Invoke(changes);

        // Check health.
        var health = await stages.RunAsync(Stage.Health, span => WaitHealthyAsync(span, api, _discovery, objects, signals, cancellationToken)).ConfigureAwait(false);
        var report = health.Failed ? null : health.Value;
        IReadOnlyList<string>? notReady = health.Failed ? [health.Failure.Message] : report is null ? null : ReadinessWaiter.NotHealthy(report);
        if (notReady is null)
        {
            // Another cycle was asked for (drift, a push): it must not wait behind this health wait.
            var why = signals.WhyEnded?.Invoke() ?? "another cycle was requested";
            logger.LogInformation("Applied revision {Revision}: {Changes}; health wait ended early ({Why}), the next cycle runs now", revision, changes.Summary(), why);
            return ReconcileResult.Progressing(revision, $"Applied revision {revision}: {changes.Summary()}; health not yet known: the wait ended early ({why}){unvalidated}", changes, current.CountByKind(), objects.Count) with { Objects = current.Entries };
        }

        if (notReady.Count > 0)
        {
            return Fail(new StageFailure(ReconcileReason.HealthCheckFailed, Blocker.None, string.Join("; ", notReady)), revision, current, changes) with { AppliedRevision = revision, Applied = objects.Count, Health = report };
        }

        logger.LogInformation("Applied revision {Revision}: {Changes} in {ElapsedMs} ms", revision, changes.Summary(), (long)stopwatch.Elapsed.TotalMilliseconds);
        return ReconcileResult.Succeeded(revision, $"Applied revision {revision}: {changes.Summary()}{unvalidated}", changes, current.CountByKind(), objects.Count) with { Objects = current.Entries, Health = report };
    }

    /// <summary>
    /// The cycle's failure, logged; before the fetch (no <paramref name="revision"/>) it says what was attempted.
    /// <paramref name="inventory"/> is what the cycle knew was applied; null when it could not read it.
    /// </summary>
    private ReconcileResult Fail(StageFailure failure, string revision, ObjectInventory? inventory, ChangeSet? changes = null)
    {
        var attempt = revision.Length > 0 ? revision : $"{UrlRedactor.Redact(options.Source)} at {options.Ref}";
        var message = UrlRedactor.Redact(failure.Message);
        if (revision.Length == 0 && !message.Contains(UrlRedactor.Redact(options.Source), StringComparison.Ordinal))
        {
            message = $"{attempt}: {message}";
        }

        logger.LogError("Reconcile of {Revision} failed ({Reason}): {Message}", attempt, failure.Reason, message);
        return ReconcileResult.Failed(failure.Reason, message, failure.BlockedOn, revision, changes, inventory?.CountByKind()) with { Objects = inventory?.Entries, File = failure.File };
    }

    /// <summary>The stored inventory; a diff only reads (an older version's file is neither taken over nor set aside).</summary>
    private async Task<InventoryLoad> LoadInventoryAsync(bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            return dryRun
                ? await _inventory.ReadAsync(cancellationToken).ConfigureAwait(false)
                : await _inventory.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StageRunner.IsFailure(ex, cancellationToken))
        {
            throw StateDirectoryException.For(options.StateDirectory, ex);
        }
    }

    private async Task<SourceArtifact> FetchAsync(Activity? span, CancellationToken cancellationToken)
    {
        var artifact = await source.SyncAsync(cancellationToken).ConfigureAwait(false);
        span?.SetTag("homelab.revision", artifact.Revision);
        span?.SetTag("homelab.fetched", artifact.Fetched);
        return artifact;
    }

    /// <summary>
    /// The revision's objects. Observe-only (no cluster) decrypts nothing: it applies nothing, so it needs no plaintext,
    /// and encrypted objects pass through as kustomize renders them.
    /// </summary>
    private IReadOnlyList<JsonObject> Build(Activity? span, SourceArtifact artifact, string revision)
    {
        var (objects, decrypted) = api is null
            ? (builder.Render(artifact.WorkingDirectory, options.Path), 0)
            : _decryptor.Render(builder, artifact.WorkingDirectory, options.Path, revision);
        span?.SetTag("homelab.objects", objects.Count);
        span?.SetTag("homelab.decrypted_files", decrypted);
        return [.. objects.Select(o => o.Content)];
    }

    /// <summary>
    /// Applies <paramref name="objects"/> (a server dry run in a diff) and, unless a diff, saves the new inventory
    /// together with what is left to prune.
    /// </summary>
    private async Task<(ChangeSet Applied, ObjectInventory Current, IReadOnlyList<ObjectReference> Removed, string Unvalidated)> ApplyAsync(
        Activity? span, KubeApi api, ApiDiscovery discovery, IReadOnlyList<JsonObject> objects, ObjectInventory previous, string revision, bool dryRun, CancellationToken cancellationToken)
    {
        var applyOptions = new ApplyOptions(options.Concurrency, options.HealthTimeout, _inventory.Owner.Key, _inventory.Owner.FileKey);
        var applied = await new ServerSideApplier(api, discovery, applyOptions, progress, previous.Fingerprints, _server)
            .ApplyAsync(objects, dryRun, cancellationToken).ConfigureAwait(false);
        span?.SetTag("homelab.created", applied.Count(ChangeAction.Created));
        span?.SetTag("homelab.configured", applied.Count(ChangeAction.Configured));
        span?.SetTag("homelab.unchanged", applied.Count(ChangeAction.Unchanged));
        var current = new ObjectInventory(revision, ApplyOrder.Sort(objects).Select(ObjectReference.Of).ToList(), applied.Fingerprints());
        var removed = current.Removed(previous);
        if (dryRun)
        {
            return (applied, current, removed, string.Empty);
        }

        var unvalidated = applied.HasChanges ? UnvalidatedNote() : string.Empty;
        LogTakeovers(applied);
        await SaveInventoryAsync(current with { Entries = [.. current.Entries, .. removed.Reverse()] }, cancellationToken).ConfigureAwait(false);
        return (applied, current, removed, unvalidated);
    }

    /// <summary>Deletes what left Git (a server dry run in a diff), then, unless a diff, saves the inventory without it.</summary>
    private async Task<ChangeSet> PruneAsync(Activity? span, KubeApi api, ApiDiscovery discovery, IReadOnlyList<ObjectReference> removed, ObjectInventory current, bool dryRun, CancellationToken cancellationToken)
    {
        var pruned = await new Pruner(api, discovery, _inventory.Owner.Key, progress, _inventory.Owner.FileKey).PruneAsync(removed, dryRun, cancellationToken).ConfigureAwait(false);
        span?.SetTag("homelab.deleted", pruned.Count(ChangeAction.Deleted));
        if (!dryRun)
        {
            await SaveInventoryAsync(current, cancellationToken).ConfigureAwait(false);
        }

        return pruned;
    }

    /// <summary>Every object's health when the wait ends; null when another cycle was asked for and ended the wait early.</summary>
    private async Task<IReadOnlyList<ObjectHealth>?> WaitHealthyAsync(Activity? span, KubeApi api, ApiDiscovery discovery, IReadOnlyList<JsonObject> objects, CycleSignals signals, CancellationToken cancellationToken)
    {
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.HealthWaitEnds);
            var report = await new ReadinessWaiter(api, discovery).WaitForHealthAsync(objects, options.HealthTimeout, wait.Token).ConfigureAwait(false);
            span?.SetTag("homelab.not_ready", report.Count(h => h.Health.State != HealthState.Healthy));
            return report;
        }
        catch (OperationCanceledException) when (signals.HealthWaitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Out-of-band edits taken back, one line each; adoptions one line per previous owner (a changed source URL adopts every object at once).</summary>
    private void LogTakeovers(ChangeSet applied)
    {
        foreach (var repair in applied.Changes.Where(c => c.Reason?.Kind == ChangeReasonKind.DriftRepaired))
        {
            logger.LogWarning("{Object} was changed out of band; {Reason}", repair.Target, repair.Reason);
        }

        foreach (var adopted in applied.Changes.Where(c => c.Reason?.Kind == ChangeReasonKind.Adopted).GroupBy(c => c.Reason))
        {
            logger.LogWarning("{Count} object(s) {Reason}; they are now this source's and path's: {Objects}", adopted.Count(), adopted.Key, Listing(adopted.Select(c => c.Target.ToString())));
        }
    }

    /// <summary>
    /// On a server that stores dry runs (<see cref="ApiServerAdapter"/>), validation wrote: a cycle is not failed for it (those writes
    /// were due), but its message says so when it applied or was refused, and the first time a warning says
    /// what it means.
    /// </summary>
    private string UnvalidatedNote()
    {
        if (_server?.DryRunsWritten is not { } evidence)
        {
            return string.Empty;
        }

        if (!_storedDryRunsLogged)
        {
            _storedDryRunsLogged = true;
            logger.LogWarning(
                "The API server {Server} stores dry runs ({Evidence}): objects are not validated before they are written, so an object it refuses can leave its stage partly applied; diff reports existing objects as configured, unchecked",
                api?.Server,
                evidence);
        }

        return $"; not validated before writing: the API server stores dry runs ({evidence})";
    }

    /// <summary>The first few names and how many more: a log line stays a line.</summary>
    private static string Listing(IEnumerable<string> names)
    {
        const int Shown = 5;
        var all = names.ToList();
        return all.Count <= Shown ? string.Join(", ", all) : $"{string.Join(", ", all.Take(Shown))} and {all.Count - Shown} more";
    }

    /// <summary>Saves the inventory; a state directory that cannot be written is its own, typed failure.</summary>
    private async Task SaveInventoryAsync(ObjectInventory inventory, CancellationToken cancellationToken)
    {
        try
        {
            await _inventory.SaveAsync(inventory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StateDirectoryException.For(options.StateDirectory, ex);
        }
    }
}
