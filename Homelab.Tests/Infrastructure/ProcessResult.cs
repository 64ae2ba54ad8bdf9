namespace Homelab.Tests.Infrastructure;

/// <summary>How a program ended and what it wrote where.</summary>
internal sealed record ProcessResult(int ExitCode, string Output, string Error);
