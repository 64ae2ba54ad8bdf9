using Homelab.Reconciler.Source;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// Checks the settings before anything runs (<c>ValidateOnStart</c> for `run`, before the verb for the
/// CLI); every message names the setting as the user writes it (<c>Reconciler:Interval</c>).
/// </summary>
/// <param name="isLinux">Whether this is Linux (a test stands in another platform); default: the running OS.</param>
public sealed class ReconcileOptionsValidator(Func<bool>? isLinux = null) : IValidateOptions<ReconcileOptions>
{
    /// <summary>
    /// The shortest interval: below it the reconciler would poll Git in a hot loop. Short intervals are
    /// legitimate for tests and the benchmark's forced cycles (0.2 s); zero is not.
    /// </summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The shortest API token or webhook secret accepted: a guessable one protects nothing.</summary>
    public const int MinimumSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new SettingFailures(ReconcileOptions.Section);

        failures.Require(options.Interval >= MinimumInterval, nameof(options.Interval), $"must be at least {MinimumInterval:c}", options.Interval);
        failures.Require(options.HealthTimeout > TimeSpan.Zero, nameof(options.HealthTimeout), "must be positive", options.HealthTimeout);
        failures.Require(options.StallTimeout is null || options.StallTimeout > TimeSpan.Zero, nameof(options.StallTimeout), "must be positive", options.StallTimeout);
        failures.Require(options.Concurrency is >= 1 and <= 64, nameof(options.Concurrency), "must be between 1 and 64", options.Concurrency);
        failures.Require(!string.IsNullOrWhiteSpace(options.StateDirectory), nameof(options.StateDirectory), "must name a directory", options.StateDirectory);
        failures.Require(IsRelativeInside(options.Path), nameof(options.Path), "must be a folder inside the repository (relative, no '..')", options.Path);
        failures.Require(IsRef(options.Ref), nameof(options.Ref), "must be a branch, refs/heads/<branch>, refs/tags/<tag>, tag:<tag> or a 40-hex commit", options.Ref);
        failures.Require(options.ApiToken is null || options.ApiToken.Length >= MinimumSecretLength, nameof(options.ApiToken), $"must be at least {MinimumSecretLength} characters", "***");
        failures.Require(options.WebhookSecret is null || options.WebhookSecret.Length >= MinimumSecretLength, nameof(options.WebhookSecret), $"must be at least {MinimumSecretLength} characters", "***");
        // GitCertificateAuthorities finds libgit2 through /proc/self/maps and calls its variadic git_libgit2_opts
        // through a fixed-argument pointer, which only Linux's calling conventions make safe.
        if (!string.IsNullOrWhiteSpace(options.CaFile) && !(isLinux ?? OperatingSystem.IsLinux)())
        {
            failures.Require(false, nameof(options.CaFile), "is supported on Linux only", options.CaFile);
        }
        else if (!string.IsNullOrWhiteSpace(options.CaFile) && GitCertificateAuthorities.Problem(options.CaFile) is { } caProblem)
        {
            failures.Require(false, nameof(options.CaFile), $"must be a readable PEM file of certificate authorities: {caProblem}", options.CaFile);
        }

        if (!string.IsNullOrWhiteSpace(options.AgeKeyFile) && File.Exists(options.AgeKeyFile) && Secrets.ReconcilerAgeKeys.Problem(options.AgeKeyFile) is { } keyProblem)
        {
            failures.Require(false, nameof(options.AgeKeyFile), $"must be a readable age identity file: it {keyProblem}", options.AgeKeyFile);
        }

        return failures.Result();
    }

    private static bool IsRelativeInside(string? path) =>
        !string.IsNullOrWhiteSpace(path)
        && !System.IO.Path.IsPathRooted(path)
        && !path.Replace('\\', '/').Split('/').Contains("..", StringComparer.Ordinal);

    private static bool IsRef(string? reference)
    {
        try
        {
            TrackedRef.Parse(reference ?? string.Empty);
            return true;
        }
        catch (SourceException)
        {
            return false;
        }
    }
}
