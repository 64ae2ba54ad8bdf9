using Homelab.Reconciler.Source;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>Which URLs a source accepts, and that credentials never stay in the URL libgit2 stores.</summary>
public sealed class GitRemoteTests
{
    [Fact]
    public void Credentials_move_out_of_the_url()
    {
        var remote = GitRemote.Parse("https://bot:t%2Fk@example.com/org/repo.git");

        Assert.Equal(new GitRemote("https://example.com/org/repo.git", "bot", "t/k"), remote);
        Assert.True(remote.IsHttp);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/repo.git")]
    [InlineData("http://localhost/repo.git")]
    [InlineData("git://127.0.0.1:9418/repo.git")]
    [InlineData("file:///srv/git/repo.git")]
    [InlineData("https://github.com/org/repo.git")]
    public void Supported_urls_are_accepted(string url) => Assert.NotNull(GitRemote.Parse(url));

    [Theory]
    [InlineData("http://example.com/repo.git")]
    [InlineData("git://example.com/repo.git")]
    [InlineData("ssh://git@example.com/repo.git")]
    [InlineData("git@github.com:org/repo.git")]
    public void Unencrypted_remote_and_ssh_urls_are_refused(string url) =>
        Assert.Throws<SourceException>(() => GitRemote.Parse(url));

    [Theory]
    [InlineData("/srv/git/my repo.git", "/srv/git/my repo.git")]
    [InlineData("file:///srv/git/my%20repo.git", "/srv/git/my repo.git")]
    [InlineData("git://127.0.0.1:9418/repo.git", null)]
    [InlineData("https://github.com/org/repo.git", null)]
    public void A_path_or_file_url_is_on_this_machine(string url, string? path) =>
        Assert.Equal(path, GitRemote.Parse(url).LocalPath);

    [Fact]
    public void A_relative_path_becomes_absolute() =>
        Assert.Equal(Path.GetFullPath("repo"), GitRemote.Parse("repo").Url);
}
