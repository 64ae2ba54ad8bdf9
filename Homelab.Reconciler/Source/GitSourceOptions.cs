namespace Homelab.Reconciler.Source;

/// <summary>Where the desired state lives in Git and where its working copy is kept.</summary>
public sealed record GitSourceOptions
{
    /// <summary>
    /// The repository: an https URL, a file:// URL, a local repository path (bare or not),
    /// or a git:// or http(s) URL on a loopback host.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>
    /// What to track: a branch name (or <c>refs/heads/&lt;name&gt;</c>), a tag as
    /// <c>refs/tags/&lt;name&gt;</c> or <c>tag:&lt;name&gt;</c>, or a full 40-hex commit.
    /// </summary>
    /// <value>Defaults to <c>main</c>.</value>
    public string Ref { get; init; } = "main";

    /// <summary>The directory that holds the working copy; it is kept between runs.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>A file whose content is the https token. Never logged.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The environment variable that holds the https token (e.g. <c>GIT_TOKEN</c>). Never logged.</summary>
    public string? TokenEnvironmentVariable { get; init; }

    /// <summary>PEM certificate authorities trusted for https in addition to the system's (<see cref="GitCertificateAuthorities"/>).</summary>
    public string? CaFile { get; init; }

    /// <summary>How the user names <see cref="CaFile"/> (<c>Reconciler:CaFile</c>), for the errors that name it.</summary>
    /// <value>Defaults to <c>CaFile</c>.</value>
    public string CaFileSetting { get; init; } = nameof(CaFile);

    /// <summary>How long one sync may talk to the remote before it fails.</summary>
    /// <value>Defaults to one minute.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Caps on the commits that may be checked out (depth, file count, file and total size).</summary>
    /// <value>Defaults to <see cref="SourceLimits.Default"/>.</value>
    public SourceLimits Limits { get; init; } = SourceLimits.Default;
}
