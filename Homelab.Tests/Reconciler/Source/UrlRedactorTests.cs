using Homelab.Reconciler.Source;

namespace Homelab.Tests.Reconciler.Source;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://user:token@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("https://token@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("http://x-access-token:p%40ss@127.0.0.1:8080/repo", "http://***@127.0.0.1:8080/repo")]
    [InlineData("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("https://github.com/org/user@repo.git", "https://github.com/org/user@repo.git")]
    [InlineData("/srv/git/repo.git", "/srv/git/repo.git")]
    [InlineData("file:///srv/git/repo.git", "file:///srv/git/repo.git")]
    [InlineData("failed to connect to https://a:b@host/x and https://c:d@host/y", "failed to connect to https://***@host/x and https://***@host/y")]
    [InlineData("https://a:b@host/x.git?access_token=s3cr3t failed", "https://***@host/x.git?*** failed")]
    [InlineData("Git sync from https://host/x.git#s3cr3t failed", "Git sync from https://host/x.git#*** failed")]
    public void Credentials_in_urls_are_masked(string input, string expected) =>
        Assert.Equal(expected, UrlRedactor.Redact(input));

    [Fact]
    public void Secrets_are_masked_anywhere_in_a_message()
    {
        var redacted = UrlRedactor.Redact("remote said: bad credentials s3cr3t for https://git:s3cr3t@host/x", ["s3cr3t", null, ""]);

        Assert.Equal("remote said: bad credentials *** for https://***@host/x", redacted);
    }

    /// <summary>Issue 21: the status page shows the source to anyone; a token can hide in user-info, query or fragment.</summary>
    [Theory]
    [InlineData("https://x-access-token:ghp_s3cr3t@github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("https://ghp_s3cr3t@github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("https://github.com/org/repo.git?access_token=s3cr3t#s3cr3t", "https://github.com/org/repo.git")]
    [InlineData("http://git:p%40ss@127.0.0.1:8080/repo", "http://127.0.0.1:8080/repo")]
    [InlineData("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git", "github.com:org/repo.git")]
    [InlineData("/srv/git/repo.git", "/srv/git/repo.git")]
    [InlineData("file:///srv/git/repo.git", "file:///srv/git/repo.git")]
    [InlineData("https://a:s3cr3t@[bad", "***")]
    public void The_source_for_display_carries_no_credentials(string source, string expected) =>
        Assert.Equal(expected, UrlRedactor.ForDisplay(source));
}
