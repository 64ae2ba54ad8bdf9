namespace Homelab.Reconciler.Status;

/// <summary>The body of every answer that is only a sentence: <c>{"message": "..."}</c>.</summary>
public sealed record ApiMessage(string Message);
