using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Backups;

/// <summary>
/// Where and when the apps back up, from <c>Homelab:Backup:*</c>; the one place for their defaults.
/// Navidrome writes its database backups to <c>&lt;Folder&gt;/navidrome</c>, the Syncthing sidecar
/// its config snapshots to <c>&lt;Folder&gt;/syncthing/&lt;timestamp&gt;</c>.
/// </summary>
/// <param name="Folder">The local backup folder (a bind mount). <value>Default: ~/HomelabBackups.</value></param>
/// <param name="Schedule">When both back up: five cron fields, in UTC (the containers' time). <value>Default: 0 3 * * * (daily at 03:00).</value></param>
/// <param name="Keep">How many backups each app keeps. <value>Default: 7.</value></param>
/// <param name="PublishFolder">The backup folder as the cluster's node sees it, from <c>Homelab:Publish:BackupFolder</c>.
/// <value>Default: with the docker-desktop profile C:\Users\username\HomelabBackups (beside the original setup's music
/// and notes, outside Docker Desktop's VM); otherwise <c>&lt;Homelab:Publish:DataFolder&gt;/backups</c>.</value></param>
internal sealed record BackupSettings(string Folder, string Schedule, string Keep, string? PublishFolder)
{
    public const string FolderKey = "Homelab:Backup:Folder";
    public const string ScheduleKey = "Homelab:Backup:Schedule";
    public const string KeepKey = "Homelab:Backup:Keep";
    public const string PublishFolderKey = "Homelab:Publish:BackupFolder";

    public const string DefaultFolder = "~/HomelabBackups";
    public const string DefaultSchedule = "0 3 * * *";
    public const int DefaultKeep = 7;
    public const string DockerDesktopPublishFolder = @"C:\Users\username\HomelabBackups";

    /// <summary>Under the data folder, on a node without Docker Desktop's Windows drives.</summary>
    public const string DataFolderSubfolder = "backups";

    /// <summary>More would only fill the disk; a typo such as 70000 is refused rather than obeyed.</summary>
    public const int MaxKeep = 1000;

    public const string NavidromeSubfolder = "navidrome";
    public const string SyncthingSubfolder = "syncthing";

    /// <summary>The five cron fields and their ranges, as Navidrome's scheduler and the Syncthing sidecar read them.</summary>
    private static readonly (string Name, int Min, int Max)[] Fields =
        [("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 6)];

    public static BackupSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string Get(string key, string fallback) => configuration[key] is { Length: > 0 } value ? value.Trim() : fallback;
        return new BackupSettings(
            Get(FolderKey, DefaultFolder),
            Get(ScheduleKey, DefaultSchedule),
            Get(KeepKey, DefaultKeep.ToString(CultureInfo.InvariantCulture)),
            configuration[PublishFolderKey] is { Length: > 0 } published ? published.Trim() : null);
    }

    /// <summary>How many to keep, once <see cref="Errors"/> found nothing.</summary>
    public int KeepCount => int.Parse(Keep, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A subfolder of the local backup folder.</summary>
    public string LocalFolder(string app) => Path.Combine(Hosting.HostFolder.Resolve(Folder), app);

    /// <summary>A subfolder of the node's backup folder, in that folder's own separator (a Windows path on Docker Desktop).</summary>
    public string NodeFolder(string app, Publishing.PublishSettings publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var folder = PublishFolder
            ?? (publish.Profile == Publishing.PublishSettings.DockerDesktopProfile ? DockerDesktopPublishFolder : publish.DataFolder.TrimEnd('/') + "/" + DataFolderSubfolder);
        return folder.TrimEnd('/', '\\') + (folder.Contains('\\', StringComparison.Ordinal) ? "\\" : "/") + app;
    }

    /// <summary>Settings the apps cannot run with, each naming the setting as a user writes it and the value it got.</summary>
    public IEnumerable<string> Errors()
    {
        if (ScheduleError(Schedule) is { } schedule)
        {
            yield return $"{ScheduleKey} is \"{Schedule}\": {schedule}; use five cron fields (minute hour day-of-month month day-of-week), each *, */N, N, N-M or a comma list, e.g. \"{DefaultSchedule}\"";
        }

        if (!int.TryParse(Keep, NumberStyles.None, CultureInfo.InvariantCulture, out var keep) || keep is < 1 or > MaxKeep)
        {
            yield return $"{KeepKey} is \"{Keep}\": use a whole number of backups to keep, from 1 to {MaxKeep}";
        }
    }

    /// <summary>Why a schedule is not the cron subset both schedulers read alike, or null.</summary>
    private static string? ScheduleError(string schedule)
    {
        var parts = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != Fields.Length)
        {
            return $"it has {parts.Length} fields, not {Fields.Length}";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var (name, min, max) = Fields[i];
            foreach (var item in parts[i].Split(','))
            {
                if (!ItemIsValid(item, min, max))
                {
                    return $"the {name} field \"{parts[i]}\" is not *, */N, N or N-M with N and M from {min} to {max}";
                }
            }
        }

        return null;
    }

    private static bool ItemIsValid(string item, int min, int max)
    {
        if (item == "*")
        {
            return true;
        }

        if (item.StartsWith("*/", StringComparison.Ordinal))
        {
            return Number(item[2..]) is { } step && step >= 1 && step <= max;
        }

        var dash = item.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return Number(item[..dash]) is { } from && Number(item[(dash + 1)..]) is { } to && from >= min && to <= max && from <= to;
        }

        return Number(item) is { } value && value >= min && value <= max;
    }

    private static int? Number(string text) =>
        text.Length is > 0 and <= 2 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
