using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// What one API server was seen to do with server-side apply and dry runs, kept for as long as its
/// connection is used (the service's process, one CLI verb). A kube-apiserver creates by apply and never
/// stores a dry run; DCP (Aspire's API server) does neither: its apply cannot create (HTTP 500), and it
/// stores dry runs.
/// </summary>
public sealed class ApiServerBehavior
{
    private readonly Lock _lock = new();
    private bool? _createsByApply;
    private string? _dryRunsWritten;

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
    internal void CannotCreateByApply()
    {
        lock (_lock)
        {
            _createsByApply = false;
            _dryRunsWritten ??= "it cannot create by apply, as DCP";
        }
    }

    /// <summary>The dry run of <paramref name="reference"/> was found stored.</summary>
    internal void WroteDryRun(ObjectReference reference)
    {
        lock (_lock)
        {
            _dryRunsWritten ??= $"it stored the dry run of {reference}";
        }
    }
}
