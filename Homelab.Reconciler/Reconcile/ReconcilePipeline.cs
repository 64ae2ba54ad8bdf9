using System.Diagnostics;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Source;
using Homelab.Reconciler.Telemetry;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// One reconcile: fetch -> build -> apply -> prune -> health. Each stage returns data; a failing stage
/// ends the cycle with its typed reason and nothing after it runs, so a broken commit, a bad
/// manifest or an unreachable server never deletes anything. No exception leaves a stage: whatever
/// goes wrong is a <see cref="ReconcileResult"/> with a reason. The inventory belongs to one
/// (cluster, source, path) (<see cref="InventoryOwner"/>); when it is missing or unreadable it is
/// rebuilt from the objects in the cluster labelled with that owner. Without a cluster
/// (<paramref name="api"/> null) it fetches and builds only: observe-only.
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
    private bool _storedDryRunsLogged;

    /// <param name="skipWhenUnchanged">
    /// True for a scheduled cycle while drift is watched: when Git has not moved since the revision last
    /// applied, stop after the fetch (one ls-remote, no API request). Drift is repaired by the watch.
    /// </param>
    /// <param name="cancellationToken">Stops the cycle.</param>
    public Task<ReconcileResult> RunAsync(bool skipWhenUnchanged, CancellationToken cancellationToken) =>
        RunAsync(skipWhenUnchanged, signals: null, cancellationToken);

    /// <inheritdoc cref="RunAsync(bool, CancellationToken)"/>
    /// <param name="skipWhenUnchanged">See <see cref="RunAsync(bool, CancellationToken)"/>.</param>
    /// <param name="signals">What the service learns as the cycle runs, and what ends its health wait early.</param>
    /// <param name="cancellationToken">Stops the cycle.</param>
    public async Task<ReconcileResult> RunAsync(bool skipWhenUnchanged, CycleSignals? signals, CancellationToken cancellationToken)
    {
        using var activity = ReconcilerTelemetry.Source.StartActivity("reconcile");
        var stopwatch = Stopwatch.StartNew();
        var result = await RunStagesAsync(skipWhenUnchanged, signals ?? new CycleSignals(), stopwatch, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("homelab.revision", result.AttemptedRevision);
        activity?.SetTag("homelab.reason", result.Reason.ToString());
        activity?.SetStatus(result.Ready ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Ready ? null : result.Message);
        ReconcilerTelemetry.RecordCycle(result.Ready ? "success" : "failure", result.Duration, result.Changes, result.Inventory.Values.Sum());
        return result;
    }

    private async Task<ReconcileResult> RunStagesAsync(bool skipWhenUnchanged, CycleSignals signals, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var previous = ObjectInventory.Empty;
        var revision = string.Empty;

        ReconcileResult Fail(ReconcileReason reason, string message, ChangeSet? changes = null, Blocker blockedOn = Blocker.None)
        {
            // Before the fetch there is no revision: say what was attempted instead.
            var attempt = revision.Length > 0 ? revision : $"{UrlRedactor.Redact(options.Source)} at {options.Ref}";
            message = UrlRedactor.Redact(message);
            if (revision.Length == 0 && !message.Contains(UrlRedactor.Redact(options.Source), StringComparison.Ordinal))
            {
                message = $"{attempt}: {message}";
            }

            logger.LogError("Reconcile of {Revision} failed ({Reason}): {Message}", attempt, reason, message);
            return new ReconcileResult(false, reason, message, revision, null, changes ?? ChangeSet.Empty, previous.CountByKind(), stopwatch.Elapsed, 0) { BlockedOn = blockedOn };
        }

        // Load the inventory: a state directory that cannot be read fails the cycle, typed, and is retried.
        InventoryLoad loaded;
        try
        {
            loaded = await _inventory.LoadAsync(cancellationToken).ConfigureAwait(false);
            previous = loaded.Inventory ?? ObjectInventory.Empty;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            return Fail(ReconcileReason.StateDirectoryUnavailable, StateDirectoryException.For(options.StateDirectory, ex).Message, blockedOn: Blocker.StateDirectory);
        }

        // Fetch the source.
        SourceArtifact artifact;
        using (var fetch = ReconcilerTelemetry.Source.StartActivity("fetch"))
        {
            try
            {
                artifact = await source.SyncAsync(cancellationToken).ConfigureAwait(false);
                revision = artifact.Revision;
                fetch?.SetTag("homelab.revision", revision);
                fetch?.SetTag("homelab.fetched", artifact.Fetched);
            }
            catch (Exception ex) when (IsFailure(ex, cancellationToken))
            {
                fetch?.SetStatus(ActivityStatusCode.Error, ex.Message);

                // Git answered with something unusable (a commit over a limit, no such ref): the fix can be pushed.
                return Fail(ReconcileReason.ArtifactFailed, Describe(ex), blockedOn: ex is SourceException { RemoteAnswered: true } ? Blocker.None : Blocker.Git);
            }
        }

        signals.Fetched?.Invoke(revision);

        if (skipWhenUnchanged && !artifact.Changed && loaded.Inventory?.Revision == revision)
        {
            return new ReconcileResult(true, ReconcileReason.ReconciliationSucceeded, $"Revision {revision} unchanged; drift is watched", revision, revision, ChangeSet.Empty, previous.CountByKind(), stopwatch.Elapsed, 0);
        }

        // Build the manifests.
        IReadOnlyList<JsonObject> objects;
        using (var build = ReconcilerTelemetry.Source.StartActivity("build"))
        {
            try
            {
                objects = builder.Build(artifact.WorkingDirectory, options.Path);
                build?.SetTag("homelab.objects", objects.Count);
            }
            catch (Exception ex) when (IsFailure(ex, cancellationToken))
            {
                build?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return Fail(ReconcileReason.BuildFailed, Describe(ex));
            }
        }

        if (api is null || _discovery is null)
        {
            var message = $"observe-only: no cluster; {revision} builds {objects.Count} objects";
            logger.LogInformation("Observe-only: revision {Revision} builds {Count} objects; nothing applied", revision, objects.Count);
            return new ReconcileResult(true, ReconcileReason.ReconciliationSucceeded, message, revision, null, ChangeSet.Empty, previous.CountByKind(), stopwatch.Elapsed, 0);
        }

        // First cycle, or the state directory was lost: what this owner applied is labelled in the cluster.
        try
        {
            previous = await _inventory.RebuildWhenMissingAsync(loaded, new InventoryRecovery(api, _discovery), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            return Fail(ReconcileReason.ReconciliationFailed, $"the inventory could not be rebuilt from the cluster: {Describe(ex)}", blockedOn: ApiServerBlocker(ex));
        }

        if (objects.Count == 0 && previous.Entries.Count > 0 && !options.AllowEmpty)
        {
            return Fail(ReconcileReason.EmptyRevisionRefused, $"{options.Path} renders no objects at {revision}; {previous.Entries.Count} would be pruned (use --allow-empty to allow)");
        }

        // Apply in stages, then record old and new together: a crash before the prune finishes loses nothing to prune later.
        ChangeSet applied;
        ObjectInventory current;
        IReadOnlyList<ObjectReference> removed;
        string unvalidated;
        using (var apply = ReconcilerTelemetry.Source.StartActivity("apply"))
        {
            try
            {
                applied = await new ServerSideApplier(api, _discovery, new ApplyOptions(options.Concurrency, options.HealthTimeout, _inventory.Owner.Key, _inventory.Owner.FileKey), progress, previous.Fingerprints, _server)
                    .ApplyAsync(objects, dryRun: false, cancellationToken).ConfigureAwait(false);
                unvalidated = applied.HasChanges ? UnvalidatedNote() : string.Empty;
                apply?.SetTag("homelab.created", applied.Count(ChangeAction.Created));
                apply?.SetTag("homelab.configured", applied.Count(ChangeAction.Configured));
                apply?.SetTag("homelab.unchanged", applied.Count(ChangeAction.Unchanged));
                foreach (var repair in applied.Changes.Where(c => c.Reason?.StartsWith("drift repaired", StringComparison.Ordinal) == true))
                {
                    logger.LogWarning("{Object} was changed out of band; {Reason}", repair.Target, repair.Reason);
                }

                // One line per previous owner: a changed source URL adopts every object at once.
                foreach (var adopted in applied.Changes.Where(c => c.Reason?.StartsWith("adopted", StringComparison.Ordinal) == true).GroupBy(c => c.Reason))
                {
                    logger.LogWarning("{Count} object(s) {Reason}; they are now this source's and path's: {Objects}", adopted.Count(), adopted.Key, Listing(adopted.Select(c => c.Target.ToString())));
                }

                current = new ObjectInventory(revision, ApplyOrder.Sort(objects).Select(ObjectReference.Of).ToList(), applied.Fingerprints());
                removed = current.Removed(previous);
                await SaveInventoryAsync(current with { Entries = [.. current.Entries, .. removed.Reverse()] }, cancellationToken).ConfigureAwait(false);
            }
            catch (StateDirectoryException ex)
            {
                apply?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return Fail(ReconcileReason.StateDirectoryUnavailable, ex.Message, blockedOn: Blocker.StateDirectory);
            }
            catch (Exception ex) when (IsFailure(ex, cancellationToken))
            {
                apply?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return Fail(ReconcileReason.ReconciliationFailed, Describe(ex) + UnvalidatedNote(), blockedOn: ApiServerBlocker(ex));
            }
        }

        // Prune what left Git.
        ChangeSet pruned;
        using (var prune = ReconcilerTelemetry.Source.StartActivity("prune"))
        {
            try
            {
                pruned = await new Pruner(api, _discovery, _inventory.Owner.Key, progress, _inventory.Owner.FileKey).PruneAsync(removed, dryRun: false, cancellationToken).ConfigureAwait(false);
                prune?.SetTag("homelab.deleted", pruned.Count(ChangeAction.Deleted));
                await SaveInventoryAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (StateDirectoryException ex)
            {
                prune?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return Fail(ReconcileReason.StateDirectoryUnavailable, ex.Message, applied, Blocker.StateDirectory);
            }
            catch (Exception ex) when (IsFailure(ex, cancellationToken))
            {
                prune?.SetStatus(ActivityStatusCode.Error, ex.Message);
                return Fail(ReconcileReason.PruneFailed, Describe(ex), applied, ApiServerBlocker(ex));
            }
        }

        previous = current;
        var changes = applied.Concat(pruned);

        // What is on the server now is known: drift during the health wait is judged against it.
        signals.Applied?.Invoke(changes);

        // Check health.
        IReadOnlyList<string> notReady;
        using (var health = ReconcilerTelemetry.Source.StartActivity("health"))
        {
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.HealthWaitEnds);
                notReady = await new ReadinessWaiter(api, _discovery).WaitAsync(objects, options.HealthTimeout, wait.Token).ConfigureAwait(false);
                health?.SetTag("homelab.not_ready", notReady.Count);
            }
            catch (OperationCanceledException) when (signals.HealthWaitEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Another cycle was asked for (drift, a push): it must not wait behind this health wait.
                var why = signals.WhyEnded?.Invoke() ?? "another cycle was requested";
                logger.LogInformation("Applied revision {Revision}: {Changes}; health wait ended early ({Why}), the next cycle runs now", revision, changes.Summary(), why);
                return new ReconcileResult(false, ReconcileReason.Progressing, $"Applied revision {revision}: {changes.Summary()}; health not yet known: the wait ended early ({why}){unvalidated}", revision, revision, changes, current.CountByKind(), stopwatch.Elapsed, objects.Count);
            }
            catch (Exception ex) when (IsFailure(ex, cancellationToken))
            {
                health?.SetStatus(ActivityStatusCode.Error, ex.Message);
                notReady = [$"health could not be read: {Describe(ex)}"];
            }
        }

        if (notReady.Count > 0)
        {
            return Fail(ReconcileReason.HealthCheckFailed, string.Join("; ", notReady), changes) with { AppliedRevision = revision, Applied = objects.Count };
        }

        logger.LogInformation("Applied revision {Revision}: {Changes} in {ElapsedMs} ms", revision, changes.Summary(), (long)stopwatch.Elapsed.TotalMilliseconds);
        return new ReconcileResult(true, ReconcileReason.ReconciliationSucceeded, $"Applied revision {revision}: {changes.Summary()}{unvalidated}", revision, revision, changes, current.CountByKind(), stopwatch.Elapsed, objects.Count);
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

    /// <summary>
    /// <see cref="Blocker.ApiServer"/> when the server did not answer (connection, TLS, a dropped stream) or
    /// refused our credentials (401); <see cref="Blocker.None"/> for any other answer, such as a validation
    /// refusal or a 403: the server is there and a push can fix what it refused.
    /// </summary>
    private static Blocker ApiServerBlocker(Exception ex)
    {
        var pending = new Stack<Exception>([ex]);
        while (pending.TryPop(out var current))
        {
            if (current is HttpRequestException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or TimeoutException or IOException
                || current is KubeApiException { StatusCode: System.Net.HttpStatusCode.Unauthorized })
            {
                return Blocker.ApiServer;
            }

            foreach (var inner in current is AggregateException aggregate ? aggregate.InnerExceptions : current.InnerException is { } one ? [one] : [])
            {
                pending.Push(inner);
            }
        }

        return Blocker.None;
    }

    /// <summary>Every exception is a failure of its stage, except the cancellation the caller asked for.</summary>
    private static bool IsFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    /// <summary>The stage's own errors say what went wrong; anything else also says what kind of error it was.</summary>
    private static string Describe(Exception ex) =>
        ex is SourceException or BuildException or ApplyException or KubeApiException
            ? ex.Message
            : $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
}
