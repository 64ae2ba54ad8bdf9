using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Homelab.Reconciler.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A stateful fake Kubernetes API server on loopback (plain http), for what DCP cannot hold: core/v1 (Secrets,
/// Namespaces, ServiceAccounts) and the published tree's other kinds. It keeps objects in memory by apiVersion,
/// resource, namespace and name, and serves exactly what the reconciler and bootstrap use, no more:
/// <list type="bullet">
/// <item>discovery (<c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/G/V</c>) for <see cref="ApiResourceTable"/>;</item>
/// <item>GET, LIST (equality, inequality and existence <c>labelSelector</c>s; anything else is a 400), WATCH (an
/// ADDED event per existing object, then every write, as a kube-apiserver without a resourceVersion), POST
/// (409 AlreadyExists), DELETE (immediate: no finalizers, no garbage collector);</item>
/// <item>server-side apply (<c>application/apply-patch+yaml</c>, sent as JSON) with <c>dryRun=All</c> answered and never
/// stored: the applied configuration replaces the object's content (server-set metadata and <c>status</c> stay), as
/// apply does for a single field manager, which is all that writes here; its managedFields entry lists the applied
/// fields (lists recorded whole, where a real server keys containers and env by name: the reconciler only needs a
/// stable fingerprint of them); an apply that changes nothing is not a write (no new resourceVersion), as on a real
/// server;</item>
/// <item>what a kube-apiserver's own strategies do on write, where the tests see it: a Secret's <c>stringData</c> is
/// merged into <c>data</c> (base64) and not stored, a Namespace is <c>Active</c> and labelled with its name, a
/// namespaced object in a missing namespace is a 404, refusals are Status bodies as a real server words them.</item>
/// </list>
/// No controller or kubelet runs: a Deployment never gets a status (Progressing), and no pod, ReplicaSet or event
/// exists. Tests using it say so in their names (<c>_FakeApiServer</c>).
/// </summary>
internal sealed class InMemoryApiServer : IAsyncDisposable
{
    private const string ApplyPatch = "application/apply-patch+yaml";
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "watch"];

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Stored> _objects = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private readonly WebApplication _app;
    private long _resourceVersion = 1000;
    private long _writes;

    private InMemoryApiServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>A kubeconfig for this server, as a user's would be.</summary>
    public string Kubeconfig { get; private set; } = null!;

    /// <summary>Writes stored so far (creates, changing applies, deletes); dry runs and no-op applies are none.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public static async Task<InMemoryApiServer> StartAsync()
    {
        var server = new InMemoryApiServer(LoopbackWebApplication.Create());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.Address = LoopbackWebApplication.AddressOf(server._app);
        server.Kubeconfig = KubeconfigFile.PointingAt(server.Address);
        return server;
    }

    /// <summary>A client of this server, as the reconciler builds one from a kubeconfig.</summary>
    public KubeApi Connect() => new(new ClusterConnection(Address, Authority: null, SkipTlsVerify: false, TlsServerName: null, ClientCertificate: null, Credentials: null));

    /// <summary>The stored object, or null.</summary>
    public JsonObject? Find(string apiVersion, string kind, string? @namespace, string name)
    {
        var mapping = ApiResourceTable.Resources.Single(m => m.ApiVersion == apiVersion && m.Kind == kind);
        lock (_lock)
        {
            return _objects.TryGetValue(Key(mapping, @namespace, name), out var stored) ? (JsonObject)stored.Object.DeepClone() : null;
        }
    }

    /// <summary>Every stored object of a kind.</summary>
    public IReadOnlyList<JsonObject> OfKind(string apiVersion, string kind)
    {
        lock (_lock)
        {
            return [.. _objects.Values.Where(s => s.Mapping.ApiVersion == apiVersion && s.Mapping.Kind == kind).Select(s => (JsonObject)s.Object.DeepClone())];
        }
    }

    /// <summary>
    /// Changes a stored object as <paramref name="fieldManager"/>'s update would (a <c>kubectl edit</c>): a new resourceVersion,
    /// an Update entry in managedFields, a MODIFIED event.
    /// </summary>
    public void Edit(string apiVersion, string kind, string? @namespace, string name, string fieldManager, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var mapping = ApiResourceTable.Resources.Single(m => m.ApiVersion == apiVersion && m.Kind == kind);
        var target = new Target(mapping, @namespace, name);
        lock (_lock)
        {
            var edited = (JsonObject)_objects[target.Key].Object.DeepClone();
            change(edited);
            var entries = Metadata(edited)["managedFields"] as JsonArray ?? [];
            entries.Add(new JsonObject { ["manager"] = fieldManager, ["operation"] = "Update", ["apiVersion"] = apiVersion, ["fieldsType"] = "FieldsV1", ["fieldsV1"] = new JsonObject() });
            Metadata(edited)["managedFields"] = entries.DeepClone();
            Store(target, edited, "MODIFIED");
        }
    }

    /// <summary>Every stored object as the server holds it (resourceVersions and managedFields included), one per line in key order.</summary>
    public string Dump()
    {
        lock (_lock)
        {
            return string.Join('\n', _objects.Select(o => $"{o.Key} {o.Value.Object.ToJsonString()}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Events.Writer.TryComplete();
            }
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        (int Status, JsonObject? Body) answer = path switch
        {
            "/api" => (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") }),
            "/apis" => (200, Groups()),
            _ when segments is ["api", var version] => ResourceList(version),
            _ when segments is ["apis", var group, var version] => ResourceList($"{group}/{version}"),
            _ => (0, null),
        };

        if (answer.Body is null)
        {
            if (Resolve(segments) is not { } target)
            {
                answer = NotFoundPath();
            }
            else if (request.Method == "GET" && target.Name is null && request.Query["watch"] == "true")
            {
                await WatchAsync(context, target);
                return;
            }
            else
            {
                try
                {
                    answer = await ServeAsync(request, target);
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
                {
                    // A bug of this fake, said as the answer rather than an empty 500.
                    answer = (500, Failure(500, "InternalError", $"fake API server: {ex}"));
                }
            }
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body!.ToJsonString());
    }

    private async Task<(int, JsonObject)> ServeAsync(HttpRequest request, Target target)
    {
        var query = request.Query;
        if (target.Name is null)
        {
            return request.Method switch
            {
                "GET" => List(target, query["labelSelector"], query["fieldSelector"]),
                "POST" => Create(target, await ReadObjectAsync(request), query["fieldManager"].ToString(), query["dryRun"] == "All"),
                _ => NotAllowed(request.Method),
            };
        }

        return request.Method switch
        {
            "GET" => Get(target),
            "PATCH" when request.ContentType?.StartsWith(ApplyPatch, StringComparison.Ordinal) == true =>
                Apply(target, await ReadObjectAsync(request), query["fieldManager"].ToString(), query["dryRun"] == "All"),
            "PATCH" => (415, Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {ApplyPatch}")),
            "DELETE" => Delete(target),
            _ => NotAllowed(request.Method),
        };
    }

    private (int, JsonObject) Get(Target target)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(target.Key, out var stored) ? (200, (JsonObject)stored.Object.DeepClone()) : NotFound(target.Mapping, target.Name!);
        }
    }

    private (int, JsonObject) List(Target target, string? labelSelector, string? fieldSelector)
    {
        if (!string.IsNullOrEmpty(fieldSelector))
        {
            return (400, Failure(400, "BadRequest", $"fieldSelector {fieldSelector} is not supported by this fake API server"));
        }

        if (LabelSelector.Parse(labelSelector) is not { } selector)
        {
            return (400, Failure(400, "BadRequest", $"labelSelector {labelSelector} is not supported by this fake API server"));
        }

        var items = new JsonArray();
        string version;
        lock (_lock)
        {
            foreach (var stored in Matching(target.Mapping, target.Namespace, selector))
            {
                // A typed list's items carry no apiVersion or kind.
                var item = (JsonObject)stored.Object.DeepClone();
                item.Remove("apiVersion");
                item.Remove("kind");
                items.Add(item);
            }

            version = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        return (200, new JsonObject
        {
            ["kind"] = $"{target.Mapping.Kind}List",
            ["apiVersion"] = target.Mapping.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version },
            ["items"] = items,
        });
    }

    private (int, JsonObject) Create(Target collection, JsonObject? body, string fieldManager, bool dryRun)
    {
        if (body?["metadata"]?["name"] is not JsonValue nameValue || (string?)nameValue is not { Length: > 0 } name)
        {
            return (400, Failure(400, "BadRequest", "the body is not an object with metadata.name"));
        }

        var target = collection with { Name = name };
        if (Refusal(target, body) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            if (_objects.ContainsKey(target.Key))
            {
                return (409, Failure(409, "AlreadyExists", $"{Qualified(target.Mapping)} \"{name}\" already exists", Details(target.Mapping, name)));
            }

            if (MissingNamespace(target) is { } missing)
            {
                return missing;
            }

            var created = Next(target, existing: null, body, fieldManager, "Update");
            return dryRun ? (201, created) : (201, Store(target, created, "ADDED"));
        }
    }

    private (int, JsonObject) Apply(Target target, JsonObject? applied, string fieldManager, bool dryRun)
    {
        if (applied is null)
        {
            return (400, Failure(400, "BadRequest", "the apply body is not a JSON object"));
        }

        if (fieldManager.Length == 0)
        {
            return (400, Failure(400, "BadRequest", "PATCH /apply requires a non-empty fieldManager"));
        }

        if (Refusal(target, applied) is { } refused)
        {
            return refused;
        }

        lock (_lock)
        {
            var existing = _objects.GetValueOrDefault(target.Key)?.Object;
            if (existing is null && MissingNamespace(target) is { } missing)
            {
                return missing;
            }

            var next = Next(target, existing, applied, fieldManager, "Apply");
            if (dryRun)
            {
                // Never stored: the answer keeps the stored resourceVersion (a create's has none).
                Metadata(next).Remove("resourceVersion");
                if (existing is not null)
                {
                    Metadata(next)["resourceVersion"] = Metadata(existing)["resourceVersion"]!.DeepClone();
                }

                return (existing is null ? 201 : 200, next);
            }

            if (existing is not null && SameButTimes(existing, next))
            {
                return (200, (JsonObject)existing.DeepClone());
            }

            return (existing is null ? 201 : 200, Store(target, next, existing is null ? "ADDED" : "MODIFIED"));
        }
    }

    private (int, JsonObject) Delete(Target target)
    {
        lock (_lock)
        {
            if (!_objects.Remove(target.Key, out var stored))
            {
                return NotFound(target.Mapping, target.Name!);
            }

            _resourceVersion++;
            Interlocked.Increment(ref _writes);
            Notify("DELETED", stored);
            var details = Details(target.Mapping, target.Name!);
            details["uid"] = Metadata(stored.Object)["uid"]!.DeepClone();
            return (200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["details"] = details });
        }
    }

    private async Task WatchAsync(HttpContext context, Target target)
    {
        if (LabelSelector.Parse(context.Request.Query["labelSelector"]) is not { } selector)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync(Failure(400, "BadRequest", "labelSelector is not supported by this fake API server").ToJsonString());
            return;
        }

        var watcher = new Watcher(target.Mapping, target.Namespace, selector, Channel.CreateUnbounded<(string, JsonObject)>());
        lock (_lock)
        {
            foreach (var stored in Matching(target.Mapping, target.Namespace, selector))
            {
                watcher.Events.Writer.TryWrite(("ADDED", (JsonObject)stored.Object.DeepClone()));
            }

            _watchers.Add(watcher);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            await context.Response.StartAsync(stop.Token);
            await foreach (var (type, item) in watcher.Events.Reader.ReadAllAsync(stop.Token))
            {
                await context.Response.WriteAsync(new JsonObject { ["type"] = type, ["object"] = item }.ToJsonString() + "\n", stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client closed the watch, or the server stops.
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <summary>The object as stored after this write: the given content, with the server's metadata and the kind's own rules.</summary>
    private static JsonObject Next(Target target, JsonObject? existing, JsonObject applied, string fieldManager, string operation)
    {
        var next = (JsonObject)applied.DeepClone();
        var metadata = Metadata(next);
        if (target.Mapping.Namespaced)
        {
            metadata["namespace"] = target.Namespace;
        }

        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var entries = new JsonArray();
        foreach (var entry in (existing is null ? null : Metadata(existing)["managedFields"] as JsonArray) ?? [])
        {
            if (!((string?)entry!["manager"] == fieldManager && (string?)entry["operation"] == operation))
            {
                entries.Add(entry.DeepClone());
            }
        }

        entries.Add(new JsonObject
        {
            ["manager"] = fieldManager,
            ["operation"] = operation,
            ["apiVersion"] = target.Mapping.ApiVersion,
            ["time"] = now,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldSet(applied, depth: 0),
        });
        metadata["managedFields"] = entries;
        if (existing is null)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = now;
            metadata["generation"] = 1L;
        }
        else
        {
            var before = Metadata(existing);
            metadata["uid"] = before["uid"]!.DeepClone();
            metadata["creationTimestamp"] = before["creationTimestamp"]!.DeepClone();
            metadata["resourceVersion"] = before["resourceVersion"]!.DeepClone();
            next.Remove("status");
            if (existing["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }

        ApplyKindRules(target, next);
        if (existing is not null)
        {
            var generation = (long?)Metadata(existing)["generation"] ?? 1;
            metadata["generation"] = JsonNode.DeepEquals(Content(existing), Content(next)) ? generation : generation + 1;
        }

        return next;
    }

    /// <summary>What a kube-apiserver's strategy for the kind does on every write, where a test sees it.</summary>
    private static void ApplyKindRules(Target target, JsonObject next)
    {
        switch (target.Mapping.Kind)
        {
            case "Secret":
                // stringData is write-only: merged into data, base64-encoded.
                next["type"] ??= "Opaque";
                if (next["stringData"] is JsonObject stringData)
                {
                    var data = next["data"] as JsonObject ?? [];
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? string.Empty));
                    }

                    next["data"] = data.DeepClone();
                    next.Remove("stringData");
                }

                break;
            case "Namespace":
                var labels = Metadata(next)["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = target.Name;
                Metadata(next)["labels"] = labels.DeepClone();
                next["status"] ??= new JsonObject { ["phase"] = "Active" };
                break;
        }
    }

    /// <summary>The fieldsV1 of an applied configuration: every field it sets (identity excluded), lists whole.</summary>
    private static JsonObject FieldSet(JsonObject value, int depth)
    {
        var set = new JsonObject();
        foreach (var (key, child) in value)
        {
            if ((depth == 0 && key is "apiVersion" or "kind" or "status") || (depth == 1 && key is "name" or "namespace" or "managedFields" or "resourceVersion" or "uid" or "creationTimestamp" or "generation"))
            {
                continue;
            }

            set[$"f:{key}"] = child is JsonObject { Count: > 0 } nested ? FieldSet(nested, key == "metadata" && depth == 0 ? 1 : 2) : new JsonObject();
        }

        return set;
    }

    private JsonObject Store(Target target, JsonObject next, string type)
    {
        Metadata(next)["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        var stored = new Stored(target.Mapping, next);
        _objects[target.Key] = stored;
        Interlocked.Increment(ref _writes);
        Notify(type, stored);
        return (JsonObject)next.DeepClone();
    }

    private void Notify(string type, Stored stored)
    {
        foreach (var watcher in _watchers.Where(w => w.Mapping == stored.Mapping
            && (w.Namespace is null || w.Namespace == (string?)Metadata(stored.Object)["namespace"])
            && w.Selector.Matches(Metadata(stored.Object)["labels"] as JsonObject)))
        {
            watcher.Events.Writer.TryWrite((type, (JsonObject)stored.Object.DeepClone()));
        }
    }

    private IEnumerable<Stored> Matching(ResourceMapping mapping, string? @namespace, LabelSelector selector) =>
        _objects.Values.Where(s => s.Mapping == mapping
            && (@namespace is null || @namespace == (string?)Metadata(s.Object)["namespace"])
            && selector.Matches(Metadata(s.Object)["labels"] as JsonObject));

    private (int, JsonObject)? MissingNamespace(Target target) =>
        target.Mapping.Namespaced && !_objects.ContainsKey(Key(Namespaces, null, target.Namespace!))
            ? NotFound(Namespaces, target.Namespace!)
            : null;

    /// <summary>A body that names another kind, name or namespace than the URL, as a real server refuses it.</summary>
    private static (int, JsonObject)? Refusal(Target target, JsonObject body)
    {
        if ((string?)body["apiVersion"] != target.Mapping.ApiVersion || (string?)body["kind"] != target.Mapping.Kind)
        {
            return (400, Failure(400, "BadRequest", $"the body's {body["apiVersion"]}/{body["kind"]} is not {target.Mapping.ApiVersion}/{target.Mapping.Kind}"));
        }

        if ((string?)body["metadata"]?["name"] != target.Name)
        {
            return (400, Failure(400, "BadRequest", $"the name of the object ({body["metadata"]?["name"]}) does not match the name on the URL ({target.Name})"));
        }

        return body["metadata"]?["namespace"] is JsonValue ns && (string?)ns != target.Namespace
            ? (400, Failure(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"))
            : null;
    }

    private static ResourceMapping Namespaces => ApiResourceTable.Resources.Single(m => m.ApiVersion == "v1" && m.Kind == "Namespace");

    /// <summary>An object's content apart from metadata and status: what moves its generation.</summary>
    private static JsonObject Content(JsonObject value)
    {
        var content = (JsonObject)value.DeepClone();
        content.Remove("metadata");
        content.Remove("status");
        return content;
    }

    /// <summary>Equal but for the managedFields' times: a no-op write.</summary>
    private static bool SameButTimes(JsonObject existing, JsonObject next)
    {
        static JsonObject WithoutTimes(JsonObject value)
        {
            var copy = (JsonObject)value.DeepClone();
            foreach (var entry in Metadata(copy)["managedFields"] as JsonArray ?? [])
            {
                ((JsonObject)entry!).Remove("time");
            }

            return copy;
        }

        return JsonNode.DeepEquals(WithoutTimes(existing), WithoutTimes(next));
    }

    private static JsonObject Metadata(JsonObject value) =>
        value["metadata"] as JsonObject ?? (JsonObject)(value["metadata"] = new JsonObject());

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        try
        {
            return JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The resource a REST path names: /api/v1[/namespaces/NS]/PLURAL[/NAME] or /apis/G/V/…; null for anything else (sub-resources included).</summary>
    private static Target? Resolve(string[] segments)
    {
        var (apiVersion, rest) = segments switch
        {
            ["api", var version, .. var tail] => (version, tail),
            ["apis", var group, var version, .. var tail] => ($"{group}/{version}", tail),
            _ => (string.Empty, Array.Empty<string>()),
        };
        string? @namespace = null;
        if (rest is ["namespaces", var ns, _, ..])
        {
            @namespace = ns;
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 2 || ApiResourceTable.Resources.FirstOrDefault(m => m.ApiVersion == apiVersion && m.Plural == rest[0]) is not { } mapping
            || (@namespace is not null && !mapping.Namespaced))
        {
            return null;
        }

        return new Target(mapping, @namespace, rest.Length == 2 ? Uri.UnescapeDataString(rest[1]) : null);
    }

    private static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var version in ApiResourceTable.Resources.Where(m => m.Group.Length > 0).Select(m => m.ApiVersion).Distinct(StringComparer.Ordinal))
        {
            var entry = new JsonObject { ["groupVersion"] = version, ["version"] = ApiVersions.VersionOf(version) };
            groups.Add(new JsonObject { ["name"] = ApiVersions.GroupOf(version), ["versions"] = new JsonArray(entry), ["preferredVersion"] = entry.DeepClone() });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static (int, JsonObject?) ResourceList(string apiVersion)
    {
        var resources = ApiResourceTable.Resources.Where(m => m.ApiVersion == apiVersion).ToList();
        return resources.Count == 0 ? NotFoundPath() : (200, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = apiVersion,
            ["resources"] = new JsonArray([.. resources.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Plural,
                ["singularName"] = m.Kind.ToLowerInvariant(),
                ["namespaced"] = m.Namespaced,
                ["kind"] = m.Kind,
                ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)v)]),
            })]),
        });
    }

    private static string Key(ResourceMapping mapping, string? @namespace, string name) => $"{mapping.ApiVersion}/{mapping.Plural}/{@namespace}/{name}";

    /// <summary>"secrets", "deployments.apps": how a real server names a resource in its messages.</summary>
    private static string Qualified(ResourceMapping mapping) => mapping.Group.Length == 0 ? mapping.Plural : $"{mapping.Plural}.{mapping.Group}";

    private static JsonObject Details(ResourceMapping mapping, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (mapping.Group.Length > 0)
        {
            details["group"] = mapping.Group;
        }

        details["kind"] = mapping.Plural;
        return details;
    }

    private static (int, JsonObject) NotFound(ResourceMapping mapping, string name) =>
        (404, Failure(404, "NotFound", $"{Qualified(mapping)} \"{name}\" not found", Details(mapping, name)));

    private static (int, JsonObject?) NotFoundPath() => (404, Failure(404, "NotFound", "the server could not find the requested resource", []));

    private static (int, JsonObject) NotAllowed(string method) => (405, Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})"));

    private static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    /// <summary>What a path names: a resource, maybe a namespace, maybe one object.</summary>
    private sealed record Target(ResourceMapping Mapping, string? Namespace, string? Name)
    {
        public string Key => InMemoryApiServer.Key(Mapping, Namespace, Name!);
    }

    private sealed record Stored(ResourceMapping Mapping, JsonObject Object);

    private sealed record Watcher(ResourceMapping Mapping, string? Namespace, LabelSelector Selector, Channel<(string Type, JsonObject Object)> Events);
}
