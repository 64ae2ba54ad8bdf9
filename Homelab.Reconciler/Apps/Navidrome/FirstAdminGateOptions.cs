namespace Homelab.Reconciler.Apps.Navidrome;

/// <summary>What the <c>navidrome-first-admin</c> verb needs; the credentials come from the environment, never from arguments.</summary>
internal sealed class FirstAdminGateOptions
{
    /// <summary>Between attempts while Navidrome starts or refuses.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>Navidrome's base address (in the pod: loopback), as given.</summary>
    public required string Url { get; init; }

    /// <summary>The address once <see cref="Validate"/> found no problem.</summary>
    public Uri Navidrome => new(Url, UriKind.Absolute);

    /// <summary>Where readiness is served, on every interface: the kubelet probes the pod IP.</summary>
    public required int ReadyPort { get; init; }

    public required string User { get; init; }

    public required string Password { get; init; }

    public TimeSpan RetryDelay { get; init; } = DefaultRetryDelay;

    /// <summary>Every problem, each naming the setting (never a value: the password must not be echoed).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add("--url must be an absolute http(s) address");
        }

        if (ReadyPort is < 1 or > 65535)
        {
            errors.Add("--ready-port must be between 1 and 65535");
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            errors.Add($"{Homelab.Navidrome.FirstAdminSecret.UserVariable} is not set");
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors.Add($"{Homelab.Navidrome.FirstAdminSecret.PasswordVariable} is not set");
        }

        if (RetryDelay <= TimeSpan.Zero)
        {
            errors.Add("the retry delay must be positive");
        }

        return errors;
    }
}
