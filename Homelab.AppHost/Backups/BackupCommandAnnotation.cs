namespace Homelab.AppHost.Backups;

/// <summary>The command that takes one backup inside the running container ("Back up now" runs it).</summary>
internal sealed record BackupCommandAnnotation(IReadOnlyList<string> Command) : IResourceAnnotation;
