using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>The kubeconfig forms the reconciler reads itself (the native executable has no client library).</summary>
public sealed class KubeconfigTests
{
    private static readonly Uri Server = new("https://10.0.0.1:6443");

    [Fact]
    public async Task Token_file_is_relative_to_the_kubeconfig_and_reread()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-kube-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "token"), "first\n");
        var connection = Kubeconfig.Load(KubeconfigFile.Write(directory, Server, "tokenFile: token"));

        Assert.Equal(Server, connection.Server);
        Assert.True(connection.SkipTlsVerify);
        Assert.Equal("Bearer first", await HeaderAsync(connection));
    }

    [Fact]
    public async Task Exec_plugin_runs_in_the_kubeconfig_folder_and_its_token_is_used_until_it_expires()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-kube-").FullName;
        var plugin = Path.Combine(directory, "plugin.sh");
        await File.WriteAllTextAsync(plugin, """
            #!/bin/sh
            echo run >> "$(dirname "$0")/runs"
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$TOKEN_PREFIX"'-'"$1"'","expirationTimestamp":"2999-01-01T00:00:00Z"}}'
            """.ReplaceLineEndings("\n"));
        var connection = Kubeconfig.Load(KubeconfigFile.Write(directory, Server, """
            exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: sh
                  args: [./plugin.sh, abc]
                  env: [{name: TOKEN_PREFIX, value: issued}]
            """));

        Assert.Equal("Bearer issued-abc", await HeaderAsync(connection));
        Assert.Equal("Bearer issued-abc", await HeaderAsync(connection));
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(directory, "runs")));
    }

    [Fact]
    public async Task Username_and_password_are_basic_credentials()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-kube-").FullName;
        var connection = Kubeconfig.Load(KubeconfigFile.Write(directory, Server, "username: admin\n    password: secret"));

        Assert.Equal("Basic YWRtaW46c2VjcmV0", await HeaderAsync(connection));
    }

    [Fact]
    public void A_missing_context_is_one_line_naming_the_file()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-kube-").FullName;
        var file = Path.Combine(directory, "config");
        File.WriteAllText(file, "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\ncontexts: []\n");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Load(file));
        Assert.Equal($"kubeconfig {file} cannot be read: context nowhere is not defined", error.Message);
    }

    private static async Task<string> HeaderAsync(ClusterConnection connection)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, connection.Server);
        await connection.Credentials!.ApplyAsync(request, default);
        return request.Headers.Authorization!.ToString();
    }
}
