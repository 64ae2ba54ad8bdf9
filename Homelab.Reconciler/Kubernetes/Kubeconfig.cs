using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Reads the current context of a kubeconfig file, or the pod's service account, into a
/// <see cref="ClusterConnection"/>. Read with YamlDotNet's representation model (no reflection, so the
/// native executable needs no client library's generated models): server, certificate authority (data or
/// file), insecure-skip-tls-verify, tls-server-name; user token, tokenFile, client certificate and key (data
/// or file), username and password, or an exec credential plugin. Relative paths are relative to the file.
/// </summary>
public static class Kubeconfig
{
    private const string ServiceAccount = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The file's current context; anything unreadable or missing is one line naming the file.</summary>
    public static ClusterConnection Load(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
            {
                throw new KubeconfigException("it holds no kubeconfig");
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
            var contextName = Text(root, "current-context") ?? throw new KubeconfigException("current-context is not set");
            var context = Named(root, "contexts", contextName, "context") ?? throw new KubeconfigException($"context {contextName} is not defined");
            var clusterName = Text(context, "cluster") ?? throw new KubeconfigException($"context {contextName} names no cluster");
            var cluster = Named(root, "clusters", clusterName, "cluster") ?? throw new KubeconfigException($"cluster {clusterName} is not defined");
            var user = Text(context, "user") is { } userName
                ? Named(root, "users", userName, "user") ?? throw new KubeconfigException($"user {userName} is not defined")
                : null;
            var server = Text(cluster, "server") ?? throw new KubeconfigException($"cluster {clusterName} has no server");
            return new ClusterConnection(
                new Uri(server, UriKind.Absolute),
                Authority(cluster, directory),
                string.Equals(Text(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
                Text(cluster, "tls-server-name"),
                user is null ? null : ClientCertificate(user, directory),
                user is null ? null : Credentials(user, directory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException or KubeconfigException or UriFormatException or CryptographicException or FormatException)
        {
            throw new KubeconfigException($"kubeconfig {file} cannot be read: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    /// <summary>Whether this process runs in a pod with a service account (the API server's address in its environment).</summary>
    public static bool IsInCluster() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(ServiceAccount, "token"));

    /// <summary>The pod's service account: its token (re-read, as it rotates) and the cluster's CA.</summary>
    public static ClusterConnection InCluster()
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")!;
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")!;
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(Path.Combine(ServiceAccount, "ca.crt"));
        var address = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new ClusterConnection(new Uri($"https://{address}:{port}"), authority, false, null, null, ClusterCredentials.TokenFile(Path.Combine(ServiceAccount, "token")));
    }

    private static X509Certificate2Collection? Authority(YamlMappingNode cluster, string directory)
    {
        if (Pem(cluster, "certificate-authority", directory) is not { } pem)
        {
            return null;
        }

        var authority = new X509Certificate2Collection();
        authority.ImportFromPem(pem);
        return authority;
    }

    private static X509Certificate2? ClientCertificate(YamlMappingNode user, string directory) =>
        Pem(user, "client-certificate", directory) is { } certificate
            ? X509Certificate2.CreateFromPem(certificate, Pem(user, "client-key", directory) ?? throw new KubeconfigException("client-certificate without client-key"))
            : null;

    private static ClusterCredentials? Credentials(YamlMappingNode user, string directory)
    {
        if (Text(user, "token") is { Length: > 0 } token)
        {
            return ClusterCredentials.Token(token);
        }

        if (Text(user, "tokenFile") is { Length: > 0 } tokenFile)
        {
            return ClusterCredentials.TokenFile(Path.Combine(directory, tokenFile));
        }

        if (Text(user, "username") is { Length: > 0 } name)
        {
            return ClusterCredentials.Basic(name, Text(user, "password") ?? string.Empty);
        }

        if (Child(user, "exec") is YamlMappingNode exec)
        {
            var command = Text(exec, "command") ?? throw new KubeconfigException("exec names no command");
            // A command with a path is relative to the kubeconfig, as client-go resolves it; a bare name is looked up on PATH.
            command = command.Contains('/', StringComparison.Ordinal) ? Path.Combine(directory, command) : command;
            var arguments = (Child(exec, "args") as YamlSequenceNode)?.OfType<YamlScalarNode>().Select(a => a.Value ?? string.Empty).ToList() ?? [];
            var environment = (Child(exec, "env") as YamlSequenceNode)?.OfType<YamlMappingNode>()
                .Where(e => Text(e, "name") is not null)
                .ToDictionary(e => Text(e, "name")!, e => Text(e, "value") ?? string.Empty, StringComparer.Ordinal) ?? [];
            return ClusterCredentials.Exec(command, arguments, environment, directory);
        }

        return Child(user, "auth-provider") is not null
            ? throw new KubeconfigException("auth-provider is not supported; use an exec credential plugin")
            : null;
    }

    /// <summary>PEM text from <c>NAME-data</c> (base64) or the file <c>NAME</c>.</summary>
    private static string? Pem(YamlMappingNode node, string name, string directory) =>
        Text(node, name + "-data") is { Length: > 0 } data ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
        : Text(node, name) is { Length: > 0 } file ? File.ReadAllText(Path.Combine(directory, file))
        : null;

    /// <summary>The <paramref name="field"/> of the entry of list <paramref name="list"/> with that name.</summary>
    private static YamlMappingNode? Named(YamlMappingNode root, string list, string name, string field) =>
        (Child(root, list) as YamlSequenceNode)?.OfType<YamlMappingNode>()
            .FirstOrDefault(entry => Text(entry, "name") == name) is { } found
            ? Child(found, field) as YamlMappingNode ?? new YamlMappingNode()
            : null;

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;
}
