namespace Homelab.Tests.Infrastructure;

/// <summary>Manifests as a user commits them.</summary>
internal static class Yaml
{
    public static string Executable(string name, int seconds = 600) => $"""
        apiVersion: usvc-dev.developer.microsoft.com/v1
        kind: Executable
        metadata:
          name: {name}
        spec:
          executablePath: /bin/sleep
          args: ["{seconds}"]

        """;
}
