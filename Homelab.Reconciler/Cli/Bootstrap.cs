using System.Text.Json;
using System.Text.Json.Nodes;
using Homelab.Navidrome;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Build;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// The equivalent of <c>flux bootstrap</c>: creates the Secrets that are never in Git (from the
/// AppHost's parameters), then applies <c>homelab-system</c> so the in-cluster reconciler takes over.
/// </summary>
internal static class Bootstrap
{
    public const string Redacted = "<redacted>";

    /// <summary>Secret -> (namespace, keys -> AppHost parameter); git-token comes from GIT_TOKEN when set.</summary>
    private static readonly (string Name, string Namespace, (string Key, string Parameter)[] Keys)[] Secrets =
    [
        ("homelab-reconciler", "homelab-system", [("api-token", "reconciler-api-token"), ("webhook-secret", "reconciler-webhook-secret")]),
        ("syncthing-secrets", "homelab", [("syncthing-api-key", "syncthing-api-key"), ("syncthing-gui-password", "syncthing-gui-password")]),
        // Read by Navidrome's first-admin sidecar: the pod stays out of its Service until this admin exists.
        (FirstAdminSecret.Name, "homelab", [(FirstAdminSecret.PasswordKey, "navidrome-admin-password")]),
    ];

    /// <summary>
    /// The AppHost's user secrets, where its generated parameters live (its UserSecretsId, from
    /// Homelab.AppHost.csproj), where `dotnet user-secrets` keeps them: %APPDATA% on Windows, ~/.microsoft elsewhere.
    /// </summary>
    public static string DefaultSecretsFile => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets", UserSecretsId, "secrets.json")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", UserSecretsId, "secrets.json");

    private const string UserSecretsId = "homelab-apphost-5c1f9e2a-6b1d-4a8e-9d0f-1e2b3c4d5e6f";

    public static IReadOnlyList<JsonObject> Objects(string repositoryRoot, string clusterPath, string secretsFile)
    {
        var parameters = ReadParameters(secretsFile);
        var missing = Secrets.SelectMany(s => s.Keys).Select(k => k.Parameter).Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new IOException($"{secretsFile} lacks {string.Join(", ", missing.Select(m => $"Parameters:{m}"))}: run the AppHost once (it generates them) or set them with dotnet user-secrets");
        }

        var objects = new List<JsonObject>();
        foreach (var (name, ns, keys) in Secrets)
        {
            var data = new JsonObject();
            foreach (var (key, parameter) in keys)
            {
                data[key] = parameters[parameter];
            }

            if (name == FirstAdminSecret.Name)
            {
                data[FirstAdminSecret.UserKey] = NavidromeApi.DefaultAdminUser;
            }

            if (name == "homelab-reconciler" && Environment.GetEnvironmentVariable("GIT_TOKEN") is { Length: > 0 } token)
            {
                data["git-token"] = token;
            }

            objects.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["type"] = "Opaque",
                ["stringData"] = data,
            });
        }

        var system = new KustomizeBuilder(BuildLimits.Default).Build(repositoryRoot, $"{clusterPath.TrimEnd('/')}/homelab-system");
        // The apps namespace too: its Secret must have somewhere to live before the reconciler applies the apps.
        objects.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "homelab" } });
        objects.AddRange(system);
        return ApplyOrder.Sort(objects);
    }

    /// <summary>The objects as YAML with every Secret value replaced by <see cref="Redacted"/>.</summary>
    public static string DryRun(IReadOnlyList<JsonObject> objects)
    {
        var redacted = objects.Select(o =>
        {
            var copy = (JsonObject)o.DeepClone();
            if (copy["stringData"] is JsonObject data)
            {
                foreach (var key in data.Select(p => p.Key).ToList())
                {
                    data[key] = Redacted;
                }
            }

            return copy;
        });
        return YamlOutput.Write(redacted);
    }

    public static Task<ChangeSet> ApplyAsync(IReadOnlyList<JsonObject> objects, string? kubeconfig, CancellationToken cancellationToken)
    {
        var api = KubeApi.ConnectOrThrow(kubeconfig);
        return ApplyThenDisposeAsync(api, objects, cancellationToken);
    }

    private static async Task<ChangeSet> ApplyThenDisposeAsync(KubeApi api, IReadOnlyList<JsonObject> objects, CancellationToken cancellationToken)
    {
        using (api)
        {
            return await new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default).ApplyAsync(objects, dryRun: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> ReadParameters(string secretsFile)
    {
        if (!File.Exists(secretsFile))
        {
            throw new IOException($"{secretsFile} does not exist: run the AppHost once (it generates the parameters) or pass --secrets-file");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(secretsFile));
        foreach (var property in document.RootElement.EnumerateObject())
        {
            const string prefix = "Parameters:";
            if (property.Name.StartsWith(prefix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
            {
                parameters[property.Name[prefix.Length..]] = property.Value.GetString()!;
            }
        }

        return parameters;
    }
}
