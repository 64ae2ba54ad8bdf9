using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Notifications;

/// <summary>
/// Checks <c>Reconciler:Notify:*</c> at start, as <see cref="Reconcile.ReconcileOptionsValidator"/> checks the rest: each message
/// names the setting as the user writes it and the value it got (never the token, only its file).
/// </summary>
public sealed class NotifyOptionsValidator : IValidateOptions<NotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, NotifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new Reconcile.SettingFailures(NotifyOptions.Section);

        var url = Uri.TryCreate(options.Url, UriKind.Absolute, out var parsed) ? parsed : null;
        failures.Require(url is { Scheme: "http" or "https" } && url.Host.Length > 0, nameof(options.Url), "must be an absolute http:// or https:// URL", Source.UrlRedactor.Redact(options.Url ?? string.Empty));
        failures.Require(options.Provider is not null, nameof(options.Kind), $"must be one of {string.Join(", ", Homelab.Defaults.ReconcilerDefaults.NotifyKinds)}", options.Kind);
        var hasTokenFile = !string.IsNullOrWhiteSpace(options.TokenFile);
        if (hasTokenFile)
        {
            failures.Require(Readable(options.TokenFile!), nameof(options.TokenFile), "must be a readable file holding the token", options.TokenFile);
        }
        else
        {
            failures.Require(options.Provider != NotifyProvider.Gotify, nameof(options.TokenFile), "must name the file holding the Gotify app token (Gotify refuses messages without one)", options.TokenFile);
        }

        return failures.Result();
    }

    private static bool Readable(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
