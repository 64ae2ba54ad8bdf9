namespace Homelab.Reconciler.Bootstrapping;

/// <summary>What bootstrap learnt of the in-cluster reconciler's first cycle.</summary>
/// <param name="Reported">Whether the reconciler reported a finished cycle (false: the wait timed out).</param>
/// <param name="Ready">Whether that cycle succeeded.</param>
/// <param name="Revision">The revision it attempted.</param>
/// <param name="Reason">Its reason (<c>ReconciliationSucceeded</c>, <c>ArtifactFailed</c>, …), or <c>Timeout</c>.</param>
/// <param name="Message">Its message, or what was last seen while waiting.</param>
/// <param name="PodProblem">Why its pod does not run (<c>pod x: reconciler: ImagePullBackOff: image (…)</c>, <c>pod x: Unschedulable: …</c>), when that was the last thing seen.</param>
internal sealed record FirstCycle(bool Reported, bool Ready, string? Revision, string Reason, string Message, string? PodProblem);
