using System.Globalization;
using Homelab.Reconciler.Cli;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>
/// `reconcile --once` end to end: real Git repositories, a real DCP API server whose Executables are
/// real processes, the CLI run in-process exactly as `dotnet Homelab.Reconciler.dll` runs it.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class ReconcileOnceTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Commit_change_and_removal_are_applied_redeployed_and_pruned()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();

        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 600)).Write($"{Path}/b.yaml", Executable($"{prefix}-b", 600)).Commit("two apps");
        var first = await ReconcileAsync(repository, state);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Executable/{prefix}-a created", first.Output, StringComparison.Ordinal);
        Assert.Equal("Running", await Live.WaitForStateAsync(api, $"{prefix}-a", "Running"));

        // Nothing changed: all unchanged, a new process (restart of the CLI) keeps the inventory.
        var again = await ReconcileAsync(repository, state);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"Executable/{prefix}-a unchanged", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("created", again.Output, StringComparison.Ordinal);

        // A changed field is redeployed.
        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 700)).Commit("a sleeps longer");
        var changed = await ReconcileAsync(repository, state);
        Assert.Contains($"Executable/{prefix}-a configured", changed.Output, StringComparison.Ordinal);
        Assert.Equal("700", (await Live.GetExecutableAsync(api, $"{prefix}-a"))!["spec"]!["args"]![0]!.GetValue<string>());

        // A removed file is pruned and its process stops; an object made by hand survives.
        await Live.Kubectl(dcp.Server, "create", "-f", WriteTemp(Executable($"{prefix}-hand", 600)));
        repository.Delete($"{Path}/b.yaml").Commit("drop b");
        var pruned = await ReconcileAsync(repository, state);
        Assert.Equal(0, pruned.ExitCode);
        Assert.Contains($"Executable/{prefix}-b deleted", pruned.Output, StringComparison.Ordinal);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-b"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-hand"));
    }

    [Fact]
    public async Task A_broken_commit_fails_and_changes_or_deletes_nothing()
    {
        var (prefix, repository, state) = await OneObjectReconciledAsync();
        using var api = dcp.Server.Connect();
        var before = await Live.SnapshotAsync(api);

        repository.Write($"{Path}/a.yaml", "apiVersion: [unclosed\n").Write($"{Path}/c.yaml", Executable($"{prefix}-c", 600)).Commit("broken");
        var broken = await ReconcileAsync(repository, state);

        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("BuildFailed", broken.Output, StringComparison.Ordinal);
        Assert.Contains("a.yaml", broken.Output, StringComparison.Ordinal);
        Assert.Equal(before, await Live.SnapshotAsync(api));

        // The next good commit recovers.
        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 600)).Commit("fixed");
        Assert.Equal(0, (await ReconcileAsync(repository, state)).ExitCode);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-c"));
    }

    [Fact]
    public async Task A_revision_that_renders_nothing_is_refused_unless_allowed()
    {
        var (prefix, repository, state) = await OneObjectReconciledAsync();
        using var api = dcp.Server.Connect();

        repository.Delete($"{Path}/a.yaml").Write($"{Path}/README.md", "nothing here\n").Commit("empty");
        var refused = await ReconcileAsync(repository, state);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("EmptyRevisionRefused", refused.Output, StringComparison.Ordinal);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));

        var allowed = await ReconcileAsync(repository, state, "--allow-empty");
        Assert.Equal(0, allowed.ExitCode);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-a"));
    }

    [Fact]
    public async Task Diff_exits_1_with_one_line_per_change_and_0_when_in_sync()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 600)).Commit("a");

        var pending = await DiffAsync(repository, state);
        Assert.Equal(1, pending.ExitCode);
        Assert.Equal($"Executable/{prefix}-a created", pending.Output.Trim());

        Assert.Equal(0, (await ReconcileAsync(repository, state)).ExitCode);
        var inSync = await DiffAsync(repository, state);
        Assert.Equal(0, inSync.ExitCode);
        Assert.Equal(string.Empty, inSync.Output.Trim());
    }

    [Fact]
    public async Task Diff_of_a_changed_object_on_DCP_says_it_is_unchecked_and_leaves_it_as_it_is()
    {
        var (prefix, repository, state) = await OneObjectReconciledAsync();
        using var api = dcp.Server.Connect();
        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 900)).Commit("a sleeps longer");

        var pending = await DiffAsync(repository, state);

        Assert.Equal(1, pending.ExitCode);
        Assert.Equal($"Executable/{prefix}-a configured (unchecked: the API server stores dry runs (it cannot create by apply, as DCP))", pending.Output.Trim());
        // DCP stores a dry run of apply: a diff that sent one would have redeployed the object.
        Assert.Equal("600", (await Live.GetExecutableAsync(api, $"{prefix}-a"))!["spec"]!["args"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unreachable_server_is_one_error_line_and_touches_no_inventory()
    {
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        repository.Write($"{Path}/a.yaml", Executable($"{Manifests.Prefix()}-a", 600)).Commit("a");
        var kubeconfig = System.IO.Path.Combine(state, "kubeconfig");
        File.WriteAllText(kubeconfig, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(dcp.Server.Kubeconfig), @"https://127\.0\.0\.1:\d+", $"https://127.0.0.1:{LoopbackPort.Unused()}"));

        var result = await RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", kubeconfig, "--state-dir", state, "--quiet");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ReconciliationFailed", result.Output, StringComparison.Ordinal);
        Assert.Empty(StateDirectory.InventoryFiles(state));
    }

    /// <summary>A repository whose one Executable, <c>{prefix}-a</c>, a first reconcile applied with this state directory.</summary>
    private async Task<(string Prefix, GitRepository Repository, string State)> OneObjectReconciledAsync()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        repository.Write($"{Path}/a.yaml", Executable($"{prefix}-a", 600)).Commit("a");
        Assert.Equal(0, (await ReconcileAsync(repository, state)).ExitCode);
        return (prefix, repository, state);
    }

    private Task<CliResult> ReconcileAsync(GitRepository repository, string state, params string[] extra) =>
        RunCliAsync(["reconcile", "--once", "--source", repository.Root, "--ref", "main", "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet", .. extra]);

    private Task<CliResult> DiffAsync(GitRepository repository, string state) =>
        RunCliAsync("diff", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet");

    internal static Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(null, args);

    /// <summary>The CLI in this process, reading <c>Reconciler:*</c> from <paramref name="configuration"/> (null: the process's environment, as users run it).</summary>
    internal static async Task<CliResult> RunCliAsync(Microsoft.Extensions.Configuration.IConfiguration? configuration, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await CliApplication.RunAsync(args, output, error, _ => Task.FromResult(-1), configuration);
        return new CliResult(exitCode, output.ToString() + error, error.ToString());
    }

    private static string Executable(string name, int seconds) => Yaml.Executable(name, seconds);

    private static string WriteTemp(string yaml)
    {
        var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-manifest-").FullName, "object.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }
}
