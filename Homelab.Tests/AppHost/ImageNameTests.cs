using Homelab.AppHost.Apps;

namespace Homelab.Tests.AppHost;

public sealed class ImageNameTests
{
    [Theory]
    [InlineData("deluan/navidrome", "docker.io/deluan/navidrome")]
    [InlineData("syncthing/syncthing", "docker.io/syncthing/syncthing")]
    [InlineData("docker.io/deluan/navidrome", "docker.io/deluan/navidrome")]
    [InlineData("ghcr.io/me/navidrome", "ghcr.io/me/navidrome")]
    [InlineData("localhost/homelab-syncthing", "localhost/homelab-syncthing")]
    [InlineData("registry.lan:5000/navidrome", "registry.lan:5000/navidrome")]
    public void Short_names_get_docker_io_and_full_names_stay(string image, string expected) =>
        Assert.Equal(expected, ImageName.Qualify(image));
}
