using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// A private Git server with its own certificate authority: real <c>git http-backend</c> behind the shim, serving
/// https on loopback with a certificate from a CA made in the test (a fresh CA per test: trust given to libgit2
/// lasts for the process). Without <c>Reconciler:CaFile</c> the fetch fails on the certificate; with it the fetch
/// succeeds; a host name the certificate does not hold still fails.
/// </summary>
public sealed class GitSourcePrivateCaTests
{
    [Fact]
    public async Task Without_the_ca_file_the_fetch_fails_artifact_failed_on_the_certificate()
    {
        using var ca = new TestCertificateAuthority();

        var (result, _) = await ReconcileAsync(ca, "localhost", caFile: null);

        Assert.Equal(ReconcileReason.ArtifactFailed, result.Reason);
        Assert.True(result.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase), result.Message);
    }

    [Fact]
    public async Task With_the_ca_file_the_fetch_succeeds()
    {
        using var ca = new TestCertificateAuthority();

        var (result, commit) = await ReconcileAsync(ca, "localhost", ca.PemFile);

        Assert.NotEqual(ReconcileReason.ArtifactFailed, result.Reason);
        Assert.Equal($"main@sha1:{commit}", result.AttemptedRevision);
    }

    [Fact]
    public async Task With_the_ca_file_a_host_name_the_certificate_does_not_hold_still_fails()
    {
        using var ca = new TestCertificateAuthority();

        // Served as localhost with a certificate for another name.
        var (result, _) = await ReconcileAsync(ca, "localhost", ca.PemFile, certificateFor: "git.example.internal");

        Assert.Equal(ReconcileReason.ArtifactFailed, result.Reason);
        Assert.True(result.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase), result.Message);
    }

    /// <summary>One observe-only cycle (fetch and build) of a repository served over https as <paramref name="host"/>, with a certificate for <paramref name="certificateFor"/>.</summary>
    private static async Task<(ReconcileResult Result, string Commit)> ReconcileAsync(TestCertificateAuthority ca, string host, string? caFile, string certificateFor = "localhost")
    {
        var server = new GitHttpBackendShim { Certificate = ca.IssueServerCertificate(certificateFor) };
        await server.InitializeAsync();
        try
        {
            using var upstream = Upstream(server);
            var result = await TestPipeline.Create(Options(server, upstream, host, caFile), null, NullLogger<ReconcilePipeline>.Instance).RunAsync(skipWhenUnchanged: false, default);
            return (result, upstream.Head());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static GitTestRepository Upstream(GitHttpBackendShim server)
    {
        var upstream = new GitTestRepository(server.ProjectRoot);
        upstream.Commit("clusters/test/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a"));
        server.MakePublic(upstream.Name);
        return upstream;
    }

    private static ReconcileOptions Options(GitHttpBackendShim server, GitTestRepository upstream, string host, string? caFile)
    {
        var options = TestPipeline.Options(server.UrlOf(upstream.Name, host), state: Path.GetDirectoryName(upstream.StateDirectory));
        options.CaFile = caFile;
        return options;
    }
}
