using Homelab.Defaults;
using Homelab.Reconciler.Host;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Triggers;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;
using Microsoft.Extensions.Options;

namespace Homelab.Tests.Reconciler.Reconcile;

/// <summary>Settings are checked before anything runs, and every refusal names the setting.</summary>
public sealed class ReconcileOptionsValidatorTests
{
    [Theory]
    [InlineData("Interval", "00:00:00", "Reconciler:Interval must be at least 00:00:00.1")]
    [InlineData("HealthTimeout", "-00:00:01", "Reconciler:HealthTimeout must be positive")]
    [InlineData("StallTimeout", "00:00:00", "Reconciler:StallTimeout must be positive")]
    [InlineData("Concurrency", "0", "Reconciler:Concurrency must be between 1 and 64")]
    [InlineData("Path", "../elsewhere", "Reconciler:Path must be a folder inside the repository")]
    [InlineData("Path", "/etc", "Reconciler:Path must be a folder inside the repository")]
    [InlineData("Ref", "bad..ref", "Reconciler:Ref must be a branch")]
    [InlineData("ApiToken", "short", "Reconciler:ApiToken must be at least 16 characters")]
    [InlineData("CaFile", "/etc/homelab/git-ca/absent.crt", "Reconciler:CaFile must be a readable PEM file of certificate authorities")]
    [InlineData("AgeKeyFile", "/etc/passwd", "Reconciler:AgeKeyFile must be a readable age identity file: it is not an age identity file")]
    public async Task The_service_refuses_to_start_on_a_bad_setting_and_names_it(string setting, string value, string expected)
    {
        var app = ReconcilerService.Build(["--urls=http://127.0.0.1:0", "--Reconciler:Source=/nowhere", $"--Reconciler:{setting}={value}", "--Logging:LogLevel:Default=None"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task The_cli_refuses_a_bad_setting_in_one_line_before_touching_anything()
    {
        var state = Path.Combine(Directory.CreateTempSubdirectory("homelab-state-").FullName, "state");

        var result = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", "/nowhere", "--path", "../up", "--state-dir", state);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Reconciler:Path must be a folder inside the repository", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state));
    }

    [Theory]
    [InlineData("run")]
    [InlineData(null)]
    public async Task Run_refuses_a_bad_setting_in_one_line_and_exit_code_2_without_a_stack_trace(string? verb)
    {
        string[] settings = ["--Reconciler:Interval=00:00:00", "--Reconciler:Source=/nowhere", "--urls", "http://127.0.0.1:0"];
        var result = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, .. verb is null ? settings : [verb, .. settings]]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("reconciler: Reconciler:Interval must be at least 00:00:00.1000000 (got '00:00:00')", result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_is_refused_in_one_line_on_a_platform_other_than_linux()
    {
        using var ca = new TestCertificateAuthority();
        var options = new ReconcileOptions { CaFile = ca.PemFile };

        var elsewhere = new ReconcileOptionsValidator(isLinux: () => false).Validate(null, options);

        Assert.Equal($"Reconciler:CaFile is supported on Linux only (got '{ca.PemFile}')", Assert.Single(elsewhere.Failures!));
        Assert.True(new ReconcileOptionsValidator(isLinux: () => true).Validate(null, options).Succeeded);
        Assert.True(new ReconcileOptionsValidator(isLinux: () => false).Validate(null, new ReconcileOptions()).Succeeded);
    }

    [Fact]
    public void The_defaults_pass_and_come_from_the_one_shared_place()
    {
        var defaults = new ReconcileOptions();

        Assert.True(new ReconcileOptionsValidator().Validate(null, defaults).Succeeded);
        Assert.Equal((ReconcilerDefaults.Path, ReconcilerDefaults.Ref, ReconcilerDefaults.Interval), (defaults.Path, defaults.Ref, defaults.Interval));
    }
}
