using Homelab.AppHost.Publishing;
using Microsoft.Extensions.Configuration;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Which repository the published reconciler follows: the setting, else the clone's origin as the cluster can reach it.</summary>
public sealed class PublishSettingsTests
{
    [Theory]
    [InlineData("https://github.com/me/homelab.git", "https://github.com/me/homelab.git")]
    [InlineData("git@github.com:me/homelab.git", "https://github.com/me/homelab.git")]
    [InlineData("ssh://git@codeberg.org/me/homelab.git", "https://codeberg.org/me/homelab.git")]
    [InlineData("gitlab.com:me/homelab.git", "https://gitlab.com/me/homelab.git")]
    public void An_https_origin_is_followed_and_an_ssh_one_becomes_https(string origin, string expected)
    {
        Assert.Equal(expected, PublishSettings.Read(Settings(), origin).RepositoryUrl);
    }

    [Theory]
    [InlineData("/work/homelab")]
    [InlineData("../homelab.git")]
    [InlineData("file:///work/homelab.git")]
    [InlineData(@"C:\src\homelab")]
    [InlineData("ftp://git.lan/homelab.git")]
    [InlineData("http://git.lan:3000/me/homelab.git")]
    [InlineData("git://git.lan/homelab.git")]
    [InlineData(null)]
    public void An_origin_the_cluster_cannot_reach_gives_the_placeholder(string? origin)
    {
        Assert.Equal(Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl, PublishSettings.Read(Settings(), origin).RepositoryUrl);
    }

    [Fact]
    public void The_setting_wins_over_the_origin()
    {
        var settings = PublishSettings.Read(Settings(("Homelab:Publish:RepositoryUrl", "https://git.example/me/lab.git")), "git@github.com:me/homelab.git");

        Assert.Equal("https://git.example/me/lab.git", settings.RepositoryUrl);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
