namespace Homelab.Tests.Infrastructure;

/// <summary>A kubeconfig pointing at an address of the test's choosing (an API server that is not there, or does not answer).</summary>
internal static class KubeconfigFile
{
    /// <summary>A kubeconfig for <paramref name="server"/> with a fixed token, in a folder of its own.</summary>
    public static string PointingAt(Uri server) =>
        Write(Directory.CreateTempSubdirectory("homelab-kube-").FullName, server, "token: test-token");

    /// <summary>
    /// <c>DIRECTORY/config</c> for <paramref name="server"/> (TLS unchecked) with <paramref name="user"/> as the
    /// user's fields, indented by 4 (a field's own lines below it by 6).
    /// </summary>
    public static string Write(string directory, Uri server, string user)
    {
        var file = Path.Combine(directory, "config");
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
                {user}

            """);
        return file;
    }
}
