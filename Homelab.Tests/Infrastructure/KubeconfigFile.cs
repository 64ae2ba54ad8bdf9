namespace Homelab.Tests.Infrastructure;

/// <summary>A kubeconfig pointing at an address of the test's choosing (an API server that is not there, or does not answer).</summary>
internal static class KubeconfigFile
{
    public static string PointingAt(Uri server)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "config");
        File.WriteAllText(file, $"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster:
                server: {server}
                insecure-skip-tls-verify: true
            contexts:
            - name: test
              context: {"{"}cluster: test, user: test{"}"}
            users:
            - name: test
              user:
                token: test-token

            """);
        return file;
    }
}
