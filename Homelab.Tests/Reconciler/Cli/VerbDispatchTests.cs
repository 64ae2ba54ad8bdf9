using Homelab.Reconciler.Cli;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>
/// What the first word of the command line starts: a verb runs the CLI, a mistyped verb prints usage and exits 2
/// (never the service on port 5380), and no arguments or settings only start the service.
/// </summary>
public sealed class VerbDispatchTests
{
    [Theory]
    [InlineData(true, "stauts")]
    [InlineData(true, "secret", "encrypt", "x")]
    [InlineData(true, "status")]
    [InlineData(true, "run")]
    [InlineData(true, "--help")]
    [InlineData(true, "--version")]
    [InlineData(false)]
    [InlineData(false, "--Reconciler:Source=https://example.org/home.git")]
    [InlineData(false, "Reconciler:Interval=00:00:10")]
    [InlineData(false, "/Reconciler:Path=clusters/a")]
    [InlineData(false, "--urls", "http://127.0.0.1:5999")]
    public void A_first_word_that_is_no_setting_is_a_verb(bool command, params string[] args) =>
        Assert.Equal(command, CliApplication.IsCommand(args));

    [Theory]
    [InlineData("stauts")]
    [InlineData("secret", "encrypt", "x")]
    [InlineData("diff", "--no-such-flag")]
    public async Task A_mistyped_command_line_prints_usage_and_exits_2_without_starting_the_service(params string[] args)
    {
        // As its own process: the service would listen on 5380 and never exit; after 60 s it is killed, tree and all.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        ProcessResult result;
        try
        {
            result = await CliSettingsTests.ReconcilerProcessAsync(args, timeout.Token, ("Reconciler__Source", null));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"reconciler {string.Join(' ', args)} did not exit within 60 s (killed): it started the service");
            throw;
        }

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: Unrecognized command or argument '{args[^1]}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output + result.Error, StringComparison.Ordinal);
    }
}
