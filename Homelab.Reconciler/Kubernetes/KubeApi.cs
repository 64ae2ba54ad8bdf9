using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// A thin REST client over any Kubernetes-style API server, generic over kinds (objects are JSON).
/// The connection (TLS trust, client certificate, token) comes from <see cref="Kubeconfig"/>; the verbs are
/// plain HTTP so that custom resources, server-side apply and dry runs need no generated types.
/// </summary>
public sealed class KubeApi : IDisposable
{
    private const string ApplyPatchContentType = "application/apply-patch+yaml";
    private readonly ClusterCredentials? _credentials;
    private readonly HttpClient _http;
    private long _requests;
    private long _writes;

    public KubeApi(ClusterConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = connection.TlsServerName,
            ClientCertificates = connection.ClientCertificate is { } certificate ? [certificate] : null,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(connection, certificate, errors),
        };
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = tls }) { Timeout = Timeout.InfiniteTimeSpan };
        _credentials = connection.Credentials;
        Server = connection.Server;
    }

    /// <summary>The API server's address.</summary>
    public Uri Server { get; }

    /// <summary>Requests sent so far (for the benchmark's request counts).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests that change state: create, apply, delete (dry runs excluded).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Where the cluster is: the given kubeconfig, else the first existing file of KUBECONFIG, else
    /// ~/.kube/config, else the in-cluster service account. Null when there is none: the client's own
    /// last resort, http://localhost:8080, is never a cluster anyone meant.
    /// </summary>
    public static ClusterConnection? FindConfiguration(string? kubeconfig)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return File.Exists(kubeconfig)
                ? Kubeconfig.Load(kubeconfig)
                : throw new KubeconfigException($"kubeconfig {kubeconfig} does not exist");
        }

        var candidates = (Environment.GetEnvironmentVariable("KUBECONFIG") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config"));
        if (candidates.FirstOrDefault(File.Exists) is { } file)
        {
            return Kubeconfig.Load(file);
        }

        return Kubeconfig.IsInCluster() ? Kubeconfig.InCluster() : null;
    }

    /// <summary>Connects to the cluster <see cref="FindConfiguration"/> finds; null when there is none.</summary>
    public static KubeApi? Connect(string? kubeconfig) =>
        FindConfiguration(kubeconfig) is { } configuration ? new KubeApi(configuration) : null;

    /// <summary>Connects, or explains in one line why there is no cluster to connect to.</summary>
    public static KubeApi ConnectOrThrow(string? kubeconfig) =>
        Connect(kubeconfig) ?? throw new KubeconfigException(NoCluster);

    /// <summary>What to say when no cluster is configured.</summary>
    public const string NoCluster = "no cluster configured: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account";

    public Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, content: null, write: false, cancellationToken);

    /// <summary>
    /// Lists a collection (a path with its query), item by item as the answer arrives: memory holds one
    /// item, not the whole list. The server's refusal is thrown when enumeration starts.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> ListAsync(string collectionPath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendForResponseAsync(HttpMethod.Get, collectionPath, content: null, write: false, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in ListItemReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    public Task<JsonObject?> CreateAsync(string collectionPath, JsonObject body, string fieldManager, bool dryRun, CancellationToken cancellationToken)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}" + (dryRun ? "&dryRun=All" : string.Empty);
        return SendAsync(HttpMethod.Post, collectionPath + query, Json(body), write: !dryRun, cancellationToken);
    }

    /// <summary>Server-side apply as <paramref name="fieldManager"/>, taking fields over from other managers.</summary>
    public Task<JsonObject?> ApplyAsync(string objectPath, JsonObject body, string fieldManager, bool dryRun, CancellationToken cancellationToken)
    {
        var query = $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true" + (dryRun ? "&dryRun=All" : string.Empty);
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(ApplyPatchContentType);
        return SendAsync(HttpMethod.Patch, objectPath + query, content, write: !dryRun, cancellationToken);
    }

    /// <summary>Deletes in the background (dependents garbage-collected); a missing object is not an error.</summary>
    public async Task<bool> DeleteAsync(string objectPath, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, objectPath + "?propagationPolicy=Background", content: null, write: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Opens a watch; each line of the response is one event.</summary>
    public Task<HttpResponseMessage> WatchAsync(string collectionPath, string query, CancellationToken cancellationToken) =>
        SendForResponseAsync(HttpMethod.Get, $"{collectionPath}?watch=true&allowWatchBookmarks=true{query}", content: null, write: false, cancellationToken);

    /// <summary>A successful answer whose body is still to be read (a stream); a refusal is thrown.</summary>
    private async Task<HttpResponseMessage> SendForResponseAsync(HttpMethod method, string path, HttpContent? content, bool write, CancellationToken cancellationToken)
    {
        using var request = await CreateRequestAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _requests);
        if (write)
        {
            Interlocked.Increment(ref _writes);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await KubeApiException.FromResponseAsync(method, path, response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>A successful answer parsed as it arrives; a refusal is thrown.</summary>
    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, HttpContent? content, bool write, CancellationToken cancellationToken)
    {
        using var response = await SendForResponseAsync(method, path, content, write, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonNode.ParseAsync(stream, documentOptions: ServerJson.Reading, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject;
        }
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(Server, path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_credentials is not null)
        {
            await _credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return request;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>
    /// The server's certificate is trusted as the system trusts it, or, with a certificate authority in the
    /// configuration, when it chains to that authority alone (its name must still match).
    /// </summary>
    private static bool Trusted(ClusterConnection connection, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (connection.SkipTlsVerify || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (connection.Authority is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(connection.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }

    public void Dispose() => _http.Dispose();
}
