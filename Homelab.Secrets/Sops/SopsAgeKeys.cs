using Homelab.Secrets.Age;

namespace Homelab.Secrets.Sops;

/// <summary>
/// The age identities as sops finds them, every source that is set: the file in <c>SOPS_AGE_KEY_FILE</c>, the keys in
/// <c>SOPS_AGE_KEY</c>, then <c>$XDG_CONFIG_HOME/sops/age/keys.txt</c> (default <c>~/.config</c>) when it exists.
/// </summary>
public static class SopsAgeKeys
{
    public const string KeyFileVariable = "SOPS_AGE_KEY_FILE";
    public const string KeyVariable = "SOPS_AGE_KEY";

    /// <summary>The default keys file under the user's configuration folder (sops' <c>sops/age/keys.txt</c>).</summary>
    public static string DefaultFile(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "sops", "age", "keys.txt");
    }

    /// <summary>Every identity found; a set but unreadable or invalid source fails, naming the source (never its content).</summary>
    public static SopsResult<IReadOnlyList<AgeIdentity>> Load(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var identities = new List<AgeIdentity>();
        if (environment(KeyFileVariable) is { Length: > 0 } file)
        {
            if (!File.Exists(file))
            {
                return Fail(file, SopsErrorKind.NoMatchingKey, $"{KeyFileVariable} names a file that does not exist");
            }

            if (Parse(file, File.ReadAllText(file), identities) is { } error)
            {
                return error;
            }
        }

        if (environment(KeyVariable) is { Length: > 0 } keys && Parse(KeyVariable, keys, identities) is { } keyError)
        {
            return keyError;
        }

        var fallback = DefaultFile(environment);
        if (File.Exists(fallback) && Parse(fallback, File.ReadAllText(fallback), identities) is { } fallbackError)
        {
            return fallbackError;
        }

        return identities.Count > 0
            ? new SopsResult<IReadOnlyList<AgeIdentity>>(identities, null)
            : Fail(fallback, SopsErrorKind.NoMatchingKey, $"no age identity: set {KeyFileVariable} or {KeyVariable}, or create this file (`secrets keygen -o` it)");
    }

    private static SopsResult<IReadOnlyList<AgeIdentity>>? Parse(string source, string text, List<AgeIdentity> identities)
    {
        if (!AgeIdentity.TryParseAll(text, out var parsed, out var error))
        {
            return Fail(source, error!.Kind == AgeErrorKind.Unsupported ? SopsErrorKind.Unsupported : SopsErrorKind.Malformed, error.Message);
        }

        identities.AddRange(parsed);
        return null;
    }

    private static SopsResult<IReadOnlyList<AgeIdentity>> Fail(string source, SopsErrorKind kind, string message) => new(null, new SopsError(kind, source, message));
}
