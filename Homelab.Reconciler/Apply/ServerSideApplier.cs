using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// Applies a set of objects with server-side apply, in stages: definitions and namespaces first (waited
/// for), then the rest in <see cref="ApplyOrder"/>. Live state is read with one list per kind and
/// namespace. "Unchanged" is decided from the server's own answers, never by comparing our YAML with
/// values the server normalised: an object is unchanged when its applied-hash annotation matches the
/// manifest and the <see cref="OwnedFields"/> fingerprint of what the server stored equals the one
/// <paramref name="recorded"/> after our last write. Without a recorded fingerprint (a lost state
/// directory) a server dry run decides: if applying would not change our owned fields, nothing is
/// written. Every object to write is first validated by a server dry run, so a refused object means
/// nothing was written in its stage. Requests go through <paramref name="server"/>, which answers as a
/// conformant API server does and carries the warnings of one that does not (a dry run it stored).
/// </summary>
/// <param name="api">The API server.</param>
/// <param name="discovery">Finds each kind's resource.</param>
/// <param name="options">Concurrency and waits.</param>
/// <param name="progress">Receives counts as objects are validated and written.</param>
/// <param name="recorded">Fingerprints by <see cref="ObjectReference.Id"/> from the last cycle's writes.</param>
/// <param name="server">Applies through <paramref name="api"/>; shared by the appliers of one connection.</param>
public sealed class ServerSideApplier(KubeApi api, ApiDiscovery discovery, ApplyOptions options, IProgress<ApplyProgress>? progress = null, IReadOnlyDictionary<string, string>? recorded = null, ApiServerAdapter? server = null)
{
    private readonly ApiServerAdapter _server = server ?? new ApiServerAdapter(api);

    public async Task<ChangeSet> ApplyAsync(IReadOnlyList<JsonObject> objects, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var sorted = ApplyOrder.Sort([.. objects.Select(SecretData.Normalize)]);
        var first = sorted.Where(o => ApplyOrder.IsFirstStage(ObjectReference.Of(o).Kind)).ToList();
        var rest = sorted.Where(o => !ApplyOrder.IsFirstStage(ObjectReference.Of(o).Kind)).ToList();

        var changes = await ApplyStageAsync(first, dryRun, cancellationToken).ConfigureAwait(false);
        if (!dryRun && first.Count > 0)
        {
            // CRDs and Namespaces not ready in time fail the apply: the rest depends on them.
            if (await new ReadinessWaiter(api, discovery).WaitAsync(first, options.WaitTimeout, cancellationToken).ConfigureAwait(false) is { Count: > 0 } notReady)
            {
                throw new ApplyException(notReady);
            }
        }

        return changes.Concat(await ApplyStageAsync(rest, dryRun, cancellationToken).ConfigureAwait(false));
    }

    private async Task<ChangeSet> ApplyStageAsync(List<JsonObject> objects, bool dryRun, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return ChangeSet.Empty;
        }

        var plan = await PlanAsync(objects, dryRun, cancellationToken).ConfigureAwait(false);
        await ValidateAsync(plan, dryRun, cancellationToken).ConfigureAwait(false);
        if (!dryRun)
        {
            await WriteAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        return new ChangeSet(plan.Select(p => new Change(p.Reference, p.Action, p.Reason, p.Fingerprint)).ToList());
    }

    private async Task<List<PlannedObject>> PlanAsync(IReadOnlyList<JsonObject> objects, bool dryRun, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var resolved = new List<(JsonObject Manifest, ObjectReference Reference, ResourceMapping? Mapping)>();
        foreach (var manifest in objects)
        {
            var reference = ObjectReference.Of(manifest);
            if (ObjectName.Validate(reference) is { } invalid)
            {
                failures.Add($"{reference}: {invalid}");
                continue;
            }

            var mapping = await discovery.FindAsync(reference.ApiVersion, reference.Kind, cancellationToken).ConfigureAwait(false);
            if (mapping is null && !dryRun)
            {
                failures.Add($"{reference}: the server has no kind {reference.Kind} in {reference.ApiVersion}");
            }

            resolved.Add((manifest, reference, mapping));
        }

        if (failures.Count > 0)
        {
            throw new ApplyException(failures);
        }

        // What each object was applied from and what we recorded of it: judged as the list streams in, so
        // that only objects that may be written are kept whole.
        var wanted = new Dictionary<(string Collection, string Name), (string Hash, string? Recorded)>();
        foreach (var (manifest, reference, mapping) in resolved.Where(r => r.Mapping is not null))
        {
            wanted[(mapping!.CollectionPath(reference.Namespace), reference.Name)] = (Ownership.Hash(manifest), recorded?.GetValueOrDefault(reference.Id));
        }

        var live = await ListLiveAsync(wanted, cancellationToken).ConfigureAwait(false);
        var plan = new List<PlannedObject>(resolved.Count);
        foreach (var (manifest, reference, mapping) in resolved)
        {
            if (mapping is null)
            {
                // Only in a dry run: a kind whose definition is applied in the same revision.
                plan.Add(new PlannedObject(reference, null, manifest, options.Owner, null, ChangeAction.Created, new ChangeReason(ChangeReasonKind.KindNotServedYet)));
                continue;
            }

            live.TryGetValue((mapping.CollectionPath(reference.Namespace), reference.Name), out var current);
            plan.Add(current switch
            {
                null => new PlannedObject(reference, mapping, manifest, options.Owner, null, ChangeAction.Created),
                { ReconcileDisabled: true } => new PlannedObject(reference, mapping, manifest, options.Owner, current, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.ReconcileDisabled)),
                // Unchanged when Git and the server both say so; otherwise the dry run in validation decides.
                { Unchanged: true } => new PlannedObject(reference, mapping, manifest, options.Owner, current, ChangeAction.Unchanged) { Fingerprint = current.Fingerprint },
                _ => new PlannedObject(reference, mapping, manifest, options.Owner, current, ChangeAction.Configured),
            });
        }

        return plan;
    }

    /// <summary>
    /// The manifest did not change but the live object did: someone edited it. Server-side apply with
    /// force takes their fields back; say from whom (managers owning a field we set).
    /// </summary>
    private static ChangeReason DriftReason(JsonObject live, JsonObject desired)
    {
        var others = live["metadata"]?["managedFields"]?.AsArray().OfType<JsonObject>()
            .Where(f => f["manager"]?.GetValue<string>() is { } manager && manager != Ownership.FieldManager && f["subresource"] is null)
            .Where(f => f["fieldsV1"] is JsonObject fields && Overlaps(fields, desired))
            .Select(f => f["manager"]!.GetValue<string>())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList() ?? [];
        return ChangeReason.DriftRepaired(others);
    }

    /// <summary>The same manifest, applied before by another (cluster, source, path) or before owners were labelled.</summary>
    private static ChangeReason AdoptionReason(string? previousOwner) => previousOwner is null
        ? new ChangeReason(ChangeReasonKind.OwnerRecorded)
        : new ChangeReason(ChangeReasonKind.Adopted, previousOwner);

    /// <summary>Whether a managedFields entry ("f:spec": {"f:args": {}}) owns a field the desired manifest sets.</summary>
    private static bool Overlaps(JsonObject fields, JsonNode? desired)
    {
        foreach (var (key, owned) in fields)
        {
            if (key.StartsWith("f:", StringComparison.Ordinal) && desired is JsonObject desiredObject && desiredObject.TryGetPropertyValue(key[2..], out var value))
            {
                var children = owned is JsonObject o ? o.Where(p => p.Key != ".").ToList() : [];
                if (children.Count == 0 || value is not JsonObject || Overlaps(owned!.AsObject(), value))
                {
                    return true;
                }
            }
            else if ((key.StartsWith("k:", StringComparison.Ordinal) || key.StartsWith("v:", StringComparison.Ordinal)) && desired is JsonArray)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One list per kind and namespace: a no-op reconcile of 1000 objects is a handful of requests. Each
    /// answer streams in item by item; objects not wanted are dropped as they arrive.
    /// </summary>
    private async Task<Dictionary<(string Collection, string Name), LiveObject>> ListLiveAsync(Dictionary<(string Collection, string Name), (string Hash, string? Recorded)> wanted, CancellationToken cancellationToken)
    {
        var live = new Dictionary<(string, string), LiveObject>();
        foreach (var collection in wanted.Keys.Select(k => k.Collection).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await foreach (var item in api.ListAsync(collection, cancellationToken).ConfigureAwait(false))
                {
                    if (item["metadata"]?["name"]?.GetValue<string>() is { } name && wanted.TryGetValue((collection, name), out var desired))
                    {
                        live[(collection, name)] = LiveObject.Of(item, desired.Hash, options.Owner, desired.Recorded);
                    }
                }
            }
            catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // The namespace does not exist yet: nothing is live in it.
            }
        }

        return live;
    }

    /// <summary>
    /// Server dry run of every object to write; any refusal fails the stage before a single write. In a diff
    /// (<paramref name="dryRun"/>) no write follows, which the server is told.
    /// </summary>
    private async Task ValidateAsync(List<PlannedObject> plan, bool dryRun, CancellationToken cancellationToken)
    {
        var toWrite = plan.Where(p => p.Mapping is not null && p.Action is ChangeAction.Created or ChangeAction.Configured).ToList();
        await ForEachAsync(toWrite, new StepCounter("validating", toWrite.Count), async (planned, ct) =>
        {
            var answer = await _server.DryRunAsync(planned.Target, planned.Manifest, Ownership.FieldManager, preview: dryRun, ct).ConfigureAwait(false);
            if (planned.Action == ChangeAction.Created)
            {
                return;
            }

            if (!answer.Sent)
            {
                // Not asked, so as not to write: configured, unchecked, and why.
                planned.Reason = new ChangeReason(ChangeReasonKind.Unchecked, answer.NotSentBecause);
                return;
            }

            var live = planned.Live!;
            if (live.Fingerprint is not null && OwnedFields.Fingerprint(answer.Applied) == live.Fingerprint)
            {
                // The server says applying would leave every field we own as it is stored: nothing to write.
                planned.Action = ChangeAction.Unchanged;
                planned.Fingerprint = live.Fingerprint;
                return;
            }

            planned.Reason = ConfiguredReason(live, planned.Manifest);
            if (answer.Stored)
            {
                // A diff must say what it changed; a reconcile writes the object anyway, and its result says why.
                planned.Reason = ChangeReason.WithDryRunStored(planned.Reason);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why an existing object applied from this very manifest is written again; null for a changed manifest.</summary>
    private ChangeReason? ConfiguredReason(LiveObject live, JsonObject manifest)
    {
        if (!live.SameManifest)
        {
            return null;
        }

        var previousOwner = Ownership.Owner(live.Object);
        // The former key (the cluster's address was part of it) is this very owner: relabelled, not adopted.
        return previousOwner != options.Owner ? AdoptionReason(previousOwner == options.FormerOwner ? null : previousOwner)
            // Created but never applied by our field manager (a create completed by an apply, killed in between).
            : live.Fingerprint is null ? new ChangeReason(ChangeReasonKind.InterruptedApply)
            : DriftReason(live.Object!, manifest);
    }

    private async Task WriteAsync(List<PlannedObject> plan, CancellationToken cancellationToken)
    {
        var toWrite = plan.Where(p => p.Action is ChangeAction.Created or ChangeAction.Configured).ToList();
        var counter = new StepCounter("applying", toWrite.Count);
        // Ranks in order (a ServiceAccount before the Deployment using it); objects of one rank in parallel.
        foreach (var rank in toWrite.GroupBy(p => ApplyOrder.Rank(p.Reference.Kind)).OrderBy(g => g.Key))
        {
            await ForEachAsync(rank, counter, async (planned, ct) =>
            {
                var stored = await _server.ApplyAsync(planned.Target, planned.Manifest, Ownership.FieldManager, ct).ConfigureAwait(false);
                // What the server stored of our fields: the next cycle and the drift watcher compare with it.
                planned.Fingerprint = OwnedFields.Fingerprint(stored);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="action"/> on each object, bounded in parallel; the refusals, all named, fail the batch.</summary>
    private async Task ForEachAsync(IEnumerable<PlannedObject> objects, StepCounter counter, Func<PlannedObject, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (planned, ct) =>
        {
            try
            {
                await action(planned, ct).ConfigureAwait(false);
            }
            catch (KubeApiException ex)
            {
                failures.Add($"{planned.Reference}: {ex.Message}");
            }

            progress?.Report(new ApplyProgress(counter.Phase, counter.Step(), counter.Total));
        }).ConfigureAwait(false);

        if (!failures.IsEmpty)
        {
            throw new ApplyException(failures.Order(StringComparer.Ordinal).ToList());
        }
    }

    private sealed class StepCounter(string phase, int total)
    {
        private int _done;

        public string Phase { get; } = phase;

        public int Total { get; } = total;

        public int Step() => Interlocked.Increment(ref _done);
    }

    private sealed class PlannedObject(ObjectReference reference, ResourceMapping? mapping, JsonObject source, string? owner, LiveObject? live, ChangeAction action, ChangeReason? reason = null)
    {
        private JsonObject? _manifest;

        public ObjectReference Reference { get; } = reference;

        public ResourceMapping? Mapping { get; } = mapping;

        /// <summary>Where it is applied: absent on the server when it is to be created.</summary>
        public ApplyTarget Target => new(Mapping!, Reference.Namespace, Reference.Name, Live?.Object);

        /// <summary>The manifest as it is sent (with our marks), made only for objects that are validated or written.</summary>
        public JsonObject Manifest => _manifest ??= Ownership.Mark(source, owner);

        /// <summary>The object as the server stores it, when it exists.</summary>
        public LiveObject? Live { get; } = live;

        public ChangeAction Action { get; set; } = action;

        public ChangeReason? Reason { get; set; } = reason;

        /// <summary>The fingerprint after this cycle: as written, or as found unchanged.</summary>
        public string? Fingerprint { get; set; }
    }
}
