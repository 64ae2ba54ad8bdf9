namespace Homelab.Reconciler.Apply;

/// <summary>How far a long apply or prune has come ("applying 120/500").</summary>
public sealed record ApplyProgress(string Phase, int Done, int Total);
