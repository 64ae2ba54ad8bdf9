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

    /// <summary>An Executable with a PASSWORD in its env: DCP serves no Secrets, so tests encrypt this as a Secret's data.</summary>
    public static string EnvExecutable(string name, string value) => $"""
        {Executable(name).TrimEnd()}
          env:
          - name: PASSWORD
            value: {value}

        """;

    /// <summary>An Executable with an HTTP health probe on <paramref name="port"/>: DCP calls it healthy only while something answers there.</summary>
    public static string ProbedExecutable(string name, string path, int port) => $$"""
        apiVersion: usvc-dev.developer.microsoft.com/v1
        kind: Executable
        metadata:
          name: {{name}}
        spec:
          executablePath: {{path}}
          args: ["600"]
          healthProbes:
          - name: http
            type: HTTP
            httpProbe: {url: "http://127.0.0.1:{{port}}/"}
            schedule: {interval: "1s", timeout: "1s"}

        """;
}
