using Homelab.AppHost.Hosting;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.AppHost;

public sealed class HostFolderTests
{
    [Fact]
    public void Tilde_expands_to_the_home_folder()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        Assert.Equal(Path.Combine(home, "Music"), HostFolder.Resolve("~/Music"));
        Assert.Equal(home, HostFolder.Resolve("~"));
    }

    [Fact]
    public void A_missing_folder_is_created_empty_with_a_warning()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"homelab-{Guid.NewGuid():N}", "Music");
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(l => l.AddProvider(logs));

        var created = HostFolder.EnsureExists(missing, factory.CreateLogger("test"));

        Assert.True(Directory.Exists(created));
        Assert.Empty(Directory.EnumerateFileSystemEntries(created));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(missing, StringComparison.Ordinal));
    }

    [Fact]
    public void An_existing_folder_is_left_untouched_without_a_warning()
    {
        var existing = Directory.CreateTempSubdirectory("homelab-music-").FullName;
        File.WriteAllText(Path.Combine(existing, "song.flac"), "x");
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(l => l.AddProvider(logs));

        HostFolder.EnsureExists(existing, factory.CreateLogger("test"));

        Assert.Empty(logs.Lines);
        Assert.True(File.Exists(Path.Combine(existing, "song.flac")));
    }
}
