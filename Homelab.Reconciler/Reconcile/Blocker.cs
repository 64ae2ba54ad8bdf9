namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// What kept a cycle from what it depends on. <see cref="None"/> when the fetch reached Git and (when it
/// applies) the API server answered, whatever they said: a broken commit or an object the server refuses is
/// None, since the push that fixes it arrives through this service. Readiness (<c>/ready</c>) is None.
/// </summary>
public enum Blocker
{
    /// <summary>Git and the API server were reached.</summary>
    None,

    /// <summary>The state directory cannot be created, locked, read or written.</summary>
    StateDirectory,

    /// <summary>Git was not reached (DNS, TLS, refused credentials, an unusable URL).</summary>
    Git,

    /// <summary>The API server did not answer, or refused our credentials.</summary>
    ApiServer,

    /// <summary>The cycle failed in a way nobody planned for; it starts afresh.</summary>
    Unexpected,
}
