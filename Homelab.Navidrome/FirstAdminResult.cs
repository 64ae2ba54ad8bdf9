namespace Homelab.Navidrome;

/// <summary>What happened when Navidrome's first admin was requested.</summary>
public enum FirstAdminResult
{
    /// <summary>Navidrome had no user; the admin now exists with the given credentials.</summary>
    Created,

    /// <summary>Navidrome already has a user (HTTP 403); nothing was changed.</summary>
    AlreadyExists,

    /// <summary>Navidrome answered with an error; worth retrying.</summary>
    Refused,

    /// <summary>Navidrome did not answer (connection refused, timeout, not up yet); worth retrying.</summary>
    Unreachable,
}
