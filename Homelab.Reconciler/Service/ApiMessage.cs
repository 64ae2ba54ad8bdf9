namespace Homelab.Reconciler.Service;

/// <summary>The body of every answer that is only a sentence: <c>{"message": "..."}</c>.</summary>
public sealed record ApiMessage(string Message);
