using System.Globalization;

namespace Homelab.Navidrome;

/// <summary>A first-admin request's result with a sentence for the log; it never holds the password.</summary>
public sealed record FirstAdminOutcome(FirstAdminResult Result, string Message)
{
    /// <summary>An admin exists: created now, or the user that was there first (the owner's, see the callers).</summary>
    public bool AdminExists => Result is FirstAdminResult.Created or FirstAdminResult.AlreadyExists;

    public static FirstAdminOutcome Created(string user) => new(FirstAdminResult.Created, $"Created Navidrome's first admin '{user}'");

    public static FirstAdminOutcome AlreadyExists() => new(FirstAdminResult.AlreadyExists, "Navidrome already has a user; its admin was left as it is");

    public static FirstAdminOutcome Refused(int status) =>
        new(FirstAdminResult.Refused, string.Create(CultureInfo.InvariantCulture, $"Navidrome refused to create its first admin: HTTP {status}"));

    public static FirstAdminOutcome Unreachable(string why) => new(FirstAdminResult.Unreachable, $"Navidrome is not answering: {why}");
}
