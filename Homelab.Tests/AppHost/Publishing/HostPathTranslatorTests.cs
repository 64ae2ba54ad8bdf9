using Homelab.AppHost.Publishing;

namespace Homelab.Tests.AppHost.Publishing;

public sealed class HostPathTranslatorTests
{
    [Theory]
    [InlineData(@"C:\Users\me\Music", "docker-desktop", "/run/desktop/mnt/host/c/Users/me/Music")]
    [InlineData(@"D:/Media/Music/", "docker-desktop", "/run/desktop/mnt/host/d/Media/Music")]
    [InlineData("/home/me/Music", "docker-desktop", "/home/me/Music")]
    [InlineData("/home/me/Music", "generic", "/home/me/Music")]
    public void Windows_paths_become_the_docker_desktop_nodes_paths(string path, string profile, string expected)
    {
        Assert.Equal(expected, HostPathTranslator.Translate(path, profile, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData(@"C:\Users\me\Music", "generic", "only the docker-desktop")]
    [InlineData("Music", "generic", "not an absolute path")]
    public void Untranslatable_paths_are_errors(string path, string profile, string reason)
    {
        Assert.Null(HostPathTranslator.Translate(path, profile, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
