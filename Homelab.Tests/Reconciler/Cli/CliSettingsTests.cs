using Homelab.Reconciler.Cli;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>
/// Every verb reads <c>Reconciler:*</c> as <c>run</c> does (configuration, the environment's <c>Reconciler__*</c>),
/// flags win, and a bad value is one line naming the setting and exit 2: in this process against DCP with the
/// settings given as configuration, and as its own process with real environment variables.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class CliSettingsTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Reconcile_and_diff_follow_source_and_path_from_configuration_when_no_flag_is_given()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var settings = Settings(("Source", repository.Root), ("Path", Path), ("StateDirectory", state), ("Kubeconfig", dcp.Server.Kubeconfig));

        var diff = await ReconcileOnceTests.RunCliAsync(settings, "diff", "--quiet");
        var reconciled = await ReconcileOnceTests.RunCliAsync(settings, "reconcile", "--once", "--quiet");

        Assert.Equal(1, diff.ExitCode);
        Assert.Contains($"Executable/{prefix}-a created", diff.Output, StringComparison.Ordinal);
        Assert.Equal(0, reconciled.ExitCode);
        Assert.Contains($"Executable/{prefix}-a created", reconciled.Output, StringComparison.Ordinal);
        Assert.Single(StateDirectory.InventoryFiles(state));
    }

    [Fact]
    public async Task A_flag_wins_over_the_same_setting_in_configuration()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var settings = Settings(("Source", repository.Root), ("Path", "clusters/absent"), ("StateDirectory", state), ("Kubeconfig", dcp.Server.Kubeconfig));

        var result = await ReconcileOnceTests.RunCliAsync(settings, "reconcile", "--once", "--path", Path, "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Executable/{prefix}-a created", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_timeout_and_interval_come_from_configuration_and_flags_only_replace_what_they_name()
    {
        var options = CliSettings.Resolve(
            Settings(("HealthTimeout", "00:01:00"), ("Concurrency", "3"), ("Path", "clusters/a"), ("CaFile", "")),
            o => o.Path = "clusters/b");

        Assert.Equal((TimeSpan.FromMinutes(1), 3, "clusters/b"), (options.HealthTimeout, options.Concurrency, options.Path));
    }

    [Theory]
    [InlineData("reconcile", "Reconciler__HealthTimeout", "abc", "Reconciler:HealthTimeout")]
    [InlineData("diff", "Reconciler__HealthTimeout", "00:00:00", "Reconciler:HealthTimeout must be positive")]
    [InlineData("reconcile", "Reconciler__Concurrency", "0", "Reconciler:Concurrency must be between 1 and 64")]
    [InlineData("diff", "Reconciler__CaFile", "/nonexistent/ca.crt", "Reconciler:CaFile must be a readable PEM file")]
    public async Task A_bad_value_in_the_environment_is_one_line_naming_the_setting_and_exit_2(string verb, string variable, string value, string expected)
    {
        string[] args = verb == "reconcile" ? ["reconcile", "--once", "--source", "/nonexistent/repo"] : ["diff", "--source", "/nonexistent/repo"];

        var result = await ReconcilerProcessAsync(args, (variable, value));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task A_ca_file_flag_that_is_not_a_pem_file_is_refused_at_start_naming_the_setting()
    {
        var notPem = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-ca-").FullName, "ca.crt");
        await File.WriteAllTextAsync(notPem, "not a certificate\n");

        var result = await ReconcileOnceTests.RunCliAsync(Settings(), "reconcile", "--once", "--source", "/nonexistent/repo", "--ca-file", notPem);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Reconciler:CaFile must be a readable PEM file of certificate authorities: it holds no PEM certificate (got '{notPem}')", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_source_anywhere_the_error_says_how_to_give_one()
    {
        var result = await ReconcileOnceTests.RunCliAsync(Settings(), "diff");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Reconciler:Source is not set: pass --source or set Reconciler__Source", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The built reconciler as its own process, with <paramref name="environment"/> added to this one's.</summary>
    internal static Task<ProcessResult> ReconcilerProcessAsync(string[] args, params (string Name, string? Value)[] environment) =>
        ReconcilerProcessAsync(args, CancellationToken.None, environment);

    /// <summary>As above; cancelled, the process (and anything it started) is killed.</summary>
    internal static Task<ProcessResult> ReconcilerProcessAsync(string[] args, CancellationToken cancellationToken, params (string Name, string? Value)[] environment) =>
        ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, .. args], environment: environment.ToDictionary(e => e.Name, e => e.Value), cancellationToken: cancellationToken);

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Reconciler:{s.Key}", s.Value))).Build();
}
