using Homelab.AppHost.Backups;
using Homelab.AppHost.Publishing;
using Homelab.Tests.AppHost.Publishing;
using Microsoft.Extensions.Configuration;

namespace Homelab.Tests.AppHost.Backups;

/// <summary><c>Homelab:Backup:*</c>: defaults, and every value the apps could not run with refused at start, naming the setting.</summary>
public sealed class BackupSettingsTests
{
    [Fact]
    public void Defaults_are_a_daily_backup_at_three_keeping_seven_in_the_home_folder()
    {
        var settings = Read();

        Assert.Equal("~/HomelabBackups", settings.Folder);
        Assert.Equal("0 3 * * *", settings.Schedule);
        Assert.Equal(7, settings.KeepCount);
        Assert.Empty(settings.Errors());
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, "HomelabBackups", "navidrome"), settings.LocalFolder("navidrome"));
    }

    [Theory]
    [InlineData("0 3 * * *")]
    [InlineData("*/15 * * * *")]
    [InlineData("30 2 * * 0")]
    [InlineData("0 1,13 1-15 */2 1-5")]
    [InlineData("59 23 31 12 6")]
    public void Cron_schedules_both_schedulers_read_alike_are_accepted(string schedule) =>
        Assert.Empty(Read(("Homelab:Backup:Schedule", schedule)).Errors());

    [Theory]
    [InlineData("daily", "it has 1 fields, not 5")]
    [InlineData("0 3 * *", "it has 4 fields, not 5")]
    [InlineData("60 3 * * *", "the minute field \"60\"")]
    [InlineData("0 24 * * *", "the hour field \"24\"")]
    [InlineData("0 3 0 * *", "the day of month field \"0\"")]
    [InlineData("0 3 * 13 *", "the month field \"13\"")]
    [InlineData("0 3 * * 7", "the day of week field \"7\"")]
    [InlineData("0 3 * JAN *", "the month field \"JAN\"")]
    [InlineData("*/0 * * * *", "the minute field \"*/0\"")]
    [InlineData("0 5-2 * * *", "the hour field \"5-2\"")]
    [InlineData("@every 24h", "it has 2 fields, not 5")]
    public void A_bad_schedule_is_refused_naming_the_setting_the_value_and_the_field(string schedule, string why)
    {
        var error = Assert.Single(Read(("Homelab:Backup:Schedule", schedule)).Errors());

        Assert.StartsWith($"Homelab:Backup:Schedule is \"{schedule}\": {why}", error, StringComparison.Ordinal);
        Assert.Contains("e.g. \"0 3 * * *\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("seven")]
    [InlineData("1001")]
    [InlineData("2.5")]
    public void A_bad_count_is_refused_naming_the_setting_and_the_value(string keep)
    {
        var error = Assert.Single(Read(("Homelab:Backup:Keep", keep)).Errors());

        Assert.Equal($"Homelab:Backup:Keep is \"{keep}\": use a whole number of backups to keep, from 1 to 1000", error);
    }

    [Theory]
    [InlineData(null, "docker-desktop", @"C:\Users\username\HomelabBackups\syncthing")]
    [InlineData(null, "generic", "/srv/homelab/backups/syncthing")]
    [InlineData("/mnt/nas/backups/", "generic", "/mnt/nas/backups/syncthing")]
    [InlineData(@"D:\Backups", "docker-desktop", @"D:\Backups\syncthing")]
    public void The_nodes_backup_folder_is_the_setting_or_beside_music_on_docker_desktop_or_under_the_data_folder(string? setting, string profile, string expected)
    {
        var publish = PublishSettings.Read(new ConfigurationBuilder().AddInMemoryCollection([new("Homelab:Publish:Profile", profile)]).Build(), null);

        Assert.Equal(expected, Read(("Homelab:Publish:BackupFolder", setting)).NodeFolder("syncthing", publish));
    }

    [Fact]
    public async Task The_apphost_stops_before_anything_starts_with_one_line_naming_the_bad_setting()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        var result = await Publisher.PublishToExitAsync(output, "--Homelab:Backup:Schedule=0 25 * * *");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Homelab:Backup:Schedule is \"0 25 * * *\": the hour field \"25\"", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    private static BackupSettings Read(params (string Key, string? Value)[] values) =>
        BackupSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
}
