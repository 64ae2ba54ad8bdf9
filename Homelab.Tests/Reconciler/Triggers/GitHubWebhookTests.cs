using System.Net;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Triggers;

/// <summary>The webhook of the real `run` service (in Development, where ASP.NET would show stack traces) on a real DCP.</summary>
[Collection(DcpCollection.Name)]
public sealed class GitHubWebhookTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("""{"ref":1}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"after":"abc"}""")]
    [InlineData("""{"ref":"refs/heads/main","after":5}""")]
    [InlineData("""not json""")]
    [InlineData("""null""")]
    public async Task A_signed_but_malformed_payload_is_a_400_without_a_stack_trace(string payload)
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/README.md", "empty\n").Commit("empty");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, "--environment=Development");

        using var response = await host.PushWebhookAsync(payload);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main", "refs/heads/main")]
    [InlineData("refs/heads/main", "refs/heads/main")]
    [InlineData("refs/tags/v1", "refs/tags/v1")]
    [InlineData("tag:v1", "refs/tags/v1")]
    public async Task Every_documented_ref_form_acts_on_its_push_and_ignores_others(string trackedRef, string pushedRef)
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/README.md", "empty\n").Commit("empty");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, $"--Reconciler:Ref={trackedRef}");

        using var matching = await host.PushWebhookAsync($$"""{"ref":"{{pushedRef}}","after":"abc"}""");
        using var other = await host.PushWebhookAsync("""{"ref":"refs/heads/dev","after":"abc"}""");

        Assert.Equal(HttpStatusCode.Accepted, matching.StatusCode);
        Assert.Contains("reconciling abc", await matching.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("ignored: push to refs/heads/dev", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
