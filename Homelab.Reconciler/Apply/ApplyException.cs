namespace Homelab.Reconciler.Apply;

/// <summary>Objects the server refused, each named with its reason. Nothing was written when validation failed.</summary>
public sealed class ApplyException : Exception
{
    public ApplyException(IReadOnlyList<string> failures)
        : base(string.Join("; ", failures)) => Failures = failures;

    public ApplyException()
        : this([])
    {
    }

    public ApplyException(string message)
        : this([message])
    {
    }

    public ApplyException(string message, Exception innerException)
        : base(message, innerException) => Failures = [message];

    public IReadOnlyList<string> Failures { get; }
}
