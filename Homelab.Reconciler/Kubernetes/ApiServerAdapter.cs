using System.Net;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Server-side apply and its dry runs as a conformant API server answers them, on whatever server
/// <paramref name="api"/> reaches: the one place that knows what a server does differently, found out from
/// its answers (never assumed) and kept for as long as its connection is used (the service's process, one
/// CLI verb). A kube-apiserver creates by apply and never stores a dry run; DCP (Aspire's API server) does
/// neither: its apply cannot create (HTTP 500), so a create is a POST then the apply, and it stores dry runs,
/// so a dry run that no write follows is not sent to it, and one that was stored is reported.
/// </summary>
/// <param name="api">The connection to the server.</param>
public sealed class ApiServerAdapter(KubeApi api)
{
    /// <summary>The probe's name prefix: no object of ours is called so.</summary>
    private const string ProbeNamePrefix = "homelab-probe-";

    private readonly Lock _lock = new();
    private bool? _createsByApply;
    private string? _dryRunsWritten;
    private Task? _probing;

    /// <summary>Whether server-side apply can create objects here; null until a create or the probe tells.</summary>
    public bool? CreatesByApply
    {
        get
        {
            lock (_lock)
            {
                return _createsByApply;
            }
        }
    }

    /// <summary>How we know this server writes dry runs, as a phrase for messages; null while none is known to.</summary>
    public string? DryRunsWritten
    {
        get
        {
            lock (_lock)
            {
                return _dryRunsWritten;
            }
        }
    }

    /// <summary>Applies <paramref name="manifest"/> as <paramref name="fieldManager"/>, creating the object when it does not exist.</summary>
    public async Task<JsonObject?> ApplyAsync(ApplyTarget target, JsonObject manifest, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Live is null
            ? await CreateAsync(target, manifest, fieldManager, dryRun: false, cancellationToken).ConfigureAwait(false)
            : await api.ApplyAsync(target.Path, manifest, fieldManager, dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="manifest"/> as a dry run: the server validates it and answers with the object as
    /// applying would leave it. <paramref name="preview"/>: no write follows (a diff), so a server that stores
    /// dry runs is sent none for an existing object, and one found stored is marked in the answer.
    /// </summary>
    public async Task<DryRunAnswer> DryRunAsync(ApplyTarget target, JsonObject manifest, string fieldManager, bool preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Live is not { } live)
        {
            return new DryRunAnswer(await CreateAsync(target, manifest, fieldManager, dryRun: true, cancellationToken).ConfigureAwait(false));
        }

        if (preview)
        {
            await ProbeOnceAsync(target, manifest, fieldManager, cancellationToken).ConfigureAwait(false);
            if (DryRunsWritten is { } evidence)
            {
                // A diff changes nothing: the object is said to be configured, unchecked.
                return new DryRunAnswer(null, NotSentBecause: evidence);
            }
        }

        var answer = await api.ApplyAsync(target.Path, manifest, fieldManager, dryRun: true, cancellationToken).ConfigureAwait(false);
        // Checked until the server is known to store dry runs; in a preview always, to name each object it changed.
        if ((preview || DryRunsWritten is null) && await StoredAsync(target, live, answer, fieldManager, cancellationToken).ConfigureAwait(false))
        {
            WroteDryRun(target);
            // A diff must say what it changed; a reconcile writes the object anyway, and its result says why.
            return new DryRunAnswer(answer, Stored: preview);
        }

        return new DryRunAnswer(answer);
    }

    /// <summary>Apply created, or refused to create for a reason of the object's own (invalid, forbidden).</summary>
    internal void CanCreateByApply()
    {
        lock (_lock)
        {
            _createsByApply ??= true;
        }
    }

    /// <summary>
    /// Apply answered DCP's 500 for an object that does not exist. No kube-apiserver does; DCP also writes dry
    /// runs (neither its create-by-apply nor its dry run goes through the apiserver's generic registry store),
    /// so this is taken as evidence of both, before any dry run of an existing object is sent.
    /// </summary>
    private void CannotCreateByApply()
    {
        lock (_lock)
        {
            _createsByApply = false;
            _dryRunsWritten ??= "it cannot create by apply, as DCP";
        }
    }

    /// <summary>The dry run of <paramref name="target"/> was found stored.</summary>
    private void WroteDryRun(ApplyTarget target)
    {
        lock (_lock)
        {
            _dryRunsWritten ??= $"it stored the dry run of {target}";
        }
    }

    private async Task<JsonObject?> CreateAsync(ApplyTarget target, JsonObject manifest, string fieldManager, bool dryRun, CancellationToken cancellationToken)
    {
        // Each connection to DCP pays one failed create by apply at most.
        if (CreatesByApply != false)
        {
            try
            {
                return await api.ApplyAsync(target.Path, manifest, fieldManager, dryRun, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (RefusesCreateByApply(ex))
            {
                CannotCreateByApply();
            }
        }

        if (dryRun)
        {
            // DCP ignores dryRun on create (seen: POST ?dryRun=All creates the object), so on a server
            // that cannot create by apply, creates are validated client-side only (names, kinds).
            return null;
        }

        await api.CreateAsync(target.Mapping.CollectionPath(target.Namespace), manifest, fieldManager, dryRun: false, cancellationToken).ConfigureAwait(false);
        // Apply once more so the fields are owned by an Apply operation, as a real create-by-apply leaves them.
        return await api.ApplyAsync(target.Path, manifest, fieldManager, dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Before a preview's first dry run of an existing object, whether the server is DCP, which would store it:
    /// one probe for the connection, which the other dry runs wait for.
    /// </summary>
    private async Task ProbeOnceAsync(ApplyTarget existing, JsonObject manifest, string fieldManager, CancellationToken cancellationToken)
    {
        TaskCompletionSource? mine = null;
        Task probing;
        lock (_lock)
        {
            if (_createsByApply is not null)
            {
                return;
            }

            if (_probing is null)
            {
                mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _probing = mine.Task;
            }

            probing = _probing;
        }

        if (mine is null)
        {
            await probing.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await ProbeAsync(existing, manifest, fieldManager, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _probing = null;
            }

            mine.SetResult();
        }
    }

    /// <summary>
    /// A dry-run apply, by a field manager of its own setting no field, of an object of the same kind under a
    /// random name. A kube-apiserver answers with the object it would create, or refuses it (invalid,
    /// forbidden), storing nothing either way; DCP answers its 500 for a create by apply and stores nothing.
    /// </summary>
    private async Task ProbeAsync(ApplyTarget existing, JsonObject manifest, string fieldManager, CancellationToken cancellationToken)
    {
        var name = $"{ProbeNamePrefix}{Guid.NewGuid():N}";
        var metadata = new JsonObject { ["name"] = name };
        if (existing.Namespace is { } ns)
        {
            metadata["namespace"] = ns;
        }

        var probe = new JsonObject { ["apiVersion"] = manifest["apiVersion"]?.DeepClone(), ["kind"] = manifest["kind"]?.DeepClone(), ["metadata"] = metadata };
        try
        {
            // It applies no field, so even an object it happened to name keeps its fields.
            await api.ApplyAsync(existing.Mapping.ObjectPath(existing.Namespace, name), probe, $"{fieldManager}-probe", dryRun: true, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (RefusesCreateByApply(ex))
        {
            CannotCreateByApply();
            return;
        }
        catch (KubeApiException)
        {
            // Refused for the object's own sake (invalid, forbidden): an answer DCP does not give.
        }

        CanCreateByApply();
    }

    /// <summary>Whether the server stored the dry run it answered with <paramref name="answer"/> (<see cref="DryRunEvidence"/>).</summary>
    private async Task<bool> StoredAsync(ApplyTarget target, JsonObject read, JsonObject? answer, string fieldManager, CancellationToken cancellationToken)
    {
        if (!DryRunEvidence.Suspect(read, answer, fieldManager))
        {
            return false;
        }

        JsonObject? stored;
        try
        {
            stored = await api.GetAsync(target.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            stored = null;
        }

        return DryRunEvidence.Stored(stored, answer!, fieldManager);
    }

    /// <summary>DCP's answer to a create by apply (seen: HTTP 500, "object does not implement the Object interfaces").</summary>
    private static bool RefusesCreateByApply(KubeApiException ex) =>
        ex.StatusCode == HttpStatusCode.InternalServerError && ex.Message.Contains("does not implement the Object interfaces", StringComparison.Ordinal);
}
