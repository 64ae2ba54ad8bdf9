using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Reconciler.Secrets;

/// <summary>
/// The age identities the reconciler decrypts a revision with: <c>Reconciler:AgeKeyFile</c> (in the cluster the mounted
/// Secret <c>homelab-age-key</c>), then whatever sops itself would find (<c>SOPS_AGE_KEY_FILE</c>, <c>SOPS_AGE_KEY</c>,
/// <c>~/.config/sops/age/keys.txt</c>). Read when a revision needs them, so a rotated Secret is picked up without a restart.
/// </summary>
internal static class ReconcilerAgeKeys
{
    /// <summary>Every identity found, or why a set source is unusable (naming the source, never its content). None at all is an empty list.</summary>
    public static SopsResult<IReadOnlyList<AgeIdentity>> Load(string? ageKeyFile, Func<string, string?> environment)
    {
        var identities = new List<AgeIdentity>();
        // An absent file is no key (the Deployment mounts the Secret optionally; kubelet adds the file once it exists).
        if (!string.IsNullOrWhiteSpace(ageKeyFile) && File.Exists(ageKeyFile))
        {
            if (Problem(ageKeyFile, identities) is { } problem)
            {
                return new(null, new SopsError(SopsErrorKind.Malformed, ageKeyFile, problem));
            }
        }

        var sops = SopsAgeKeys.Load(environment);
        if (sops.Succeeded)
        {
            identities.AddRange(sops.Value!);
        }
        else if (identities.Count == 0 && !IsNothingFound(sops.Error!, environment))
        {
            return sops;
        }

        return new(identities, null);
    }

    /// <summary>Why <paramref name="file"/> is not a readable age identity file, adding what it holds to <paramref name="identities"/>; null when it is.</summary>
    public static string? Problem(string file, List<AgeIdentity>? identities = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {ex.GetType().Name}";
        }

        if (!AgeIdentity.TryParseAll(text, out var parsed, out var error))
        {
            return $"is not an age identity file: {error!.Message}";
        }

        if (parsed.Count == 0)
        {
            return "holds no age identity";
        }

        identities?.AddRange(parsed);
        return null;
    }

    /// <summary>No sops variable is set and the default file is absent: not an error for a revision without encrypted objects.</summary>
    private static bool IsNothingFound(SopsError error, Func<string, string?> environment) =>
        error.Kind == SopsErrorKind.NoMatchingKey && error.File == SopsAgeKeys.DefaultFile(environment);
}
