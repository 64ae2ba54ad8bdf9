using System.Text.RegularExpressions;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>
/// The same source and path applied from two clients that reach one API server at different addresses (a laptop's
/// kubeconfig and a pod's in-cluster address), each with its own state directory, on a real DCP: neither calls the
/// other's objects adopted.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed partial class ClientAddressOwnerTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Two_clients_at_different_server_addresses_share_one_owner_and_report_nothing_adopted()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var otherAddress = await OtherAddressKubeconfigAsync(dcp.Server.Kubeconfig);

        var laptop = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName, "--quiet");
        var pod = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", otherAddress, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName, "--quiet");
        var laptopAgain = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName, "--quiet");

        Assert.True((laptop.ExitCode, pod.ExitCode, laptopAgain.ExitCode) == (0, 0, 0), laptop.Output + pod.Output + laptopAgain.Output);
        Assert.Contains($"Executable/{prefix}-a created", laptop.Output, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-a", pod.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("adopted", pod.Output + laptopAgain.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same server under another address: DCP's certificate names only the address it gave, so the other address
    /// is that one with a path (the client's requests are absolute paths, so they still reach the server's root).
    /// </summary>
    private static async Task<string> OtherAddressKubeconfigAsync(string kubeconfig)
    {
        var text = await File.ReadAllTextAsync(kubeconfig);
        var server = ServerLine().Match(text);
        Assert.True(server.Success, text);
        var other = text.Replace(server.Value, $"{server.Groups["indent"].Value}server: {server.Groups["url"].Value.TrimEnd('/')}/as-seen-from-a-pod/", StringComparison.Ordinal);
        var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-kubeconfig-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(file, other);
        return file;
    }

    [GeneratedRegex(@"(?<indent>[ \t]*)server: (?<url>https://\S+)")]
    private static partial Regex ServerLine();
}
