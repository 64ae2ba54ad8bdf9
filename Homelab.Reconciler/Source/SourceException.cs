namespace Homelab.Reconciler.Source;

/// <summary>
/// A sync failed. The message is one line: what failed, on which URL (redacted) and why;
/// it never holds a token.
/// </summary>
public sealed class SourceException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public SourceException()
        : base("Git source failed")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    /// <param name="message">The message, already redacted.</param>
    public SourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    /// <param name="message">The message, already redacted.</param>
    /// <param name="innerException">The cause; callers that log it must not log its message unredacted.</param>
    public SourceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Git answered and the failure is in what it holds (a commit over a limit, a missing ref): the push
    /// that fixes it can arrive. False when Git was not reached or refused us (DNS, TLS, credentials).
    /// </summary>
    public bool RemoteAnswered { get; init; }
}
