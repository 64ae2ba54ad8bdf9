namespace Homelab.Tests.Reconciler.Cli;

/// <summary>What a CLI run printed (stdout then stderr in Output) and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);
