using System.Text.Json;
using System.Text.Json.Nodes;
using Homelab.Defaults;
using Homelab.Navidrome;
using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Bootstrapping;

/// <summary>
/// The equivalent of <c>flux bootstrap</c>: creates the Secrets that are never in Git (from the
/// AppHost's parameters), then applies <c>homelab-system</c> so the in-cluster reconciler takes over.
/// </summary>
internal static class Bootstrap
{
    public const string Redacted = "<redacted>";

    /// <summary>The apps' namespace, where two of the Secrets live.</summary>
    private const string AppsNamespace = "homelab";

    /// <summary>Secret -> (namespace, keys -> AppHost parameter), shared with publish; git-token comes from GIT_TOKEN when set.</summary>
    private static IReadOnlyList<(string Name, string Namespace, (string Key, string Parameter)[] Keys)> Secrets => ClusterSecrets.All;

    /// <summary>
    /// The AppHost's user secrets, where its generated parameters live (its UserSecretsId, from
    /// Homelab.AppHost.csproj), where `dotnet user-secrets` keeps them: %APPDATA% on Windows, ~/.microsoft elsewhere.
    /// </summary>
    public static string DefaultSecretsFile => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets", UserSecretsId, "secrets.json")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", UserSecretsId, "secrets.json");

    private const string UserSecretsId = "homelab-apphost-5c1f9e2a-6b1d-4a8e-9d0f-1e2b3c4d5e6f";

    /// <summary>
    /// The Secrets made from the AppHost's parameters (never in Git) and <c>homelab-system</c> as rendered from
    /// <paramref name="clusterPath"/>, with the apps' namespace: as Git has it when the cluster's tree holds it (the
    /// in-cluster reconciler will own it), else a bare one bootstrap alone owns.
    /// </summary>
    public static BootstrapPlan Plan(string repositoryRoot, string clusterPath, string secretsFile)
    {
        var parameters = ReadParameters(secretsFile);
        var missing = Secrets.SelectMany(s => s.Keys).Select(k => k.Parameter).Where(p => !parameters.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new IOException($"{secretsFile} lacks {string.Join(", ", missing.Select(m => $"Parameters:{m}"))}: run the AppHost once (it generates them) or set them with dotnet user-secrets");
        }

        var outOfBand = new List<JsonObject>();
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

            outOfBand.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["type"] = "Opaque",
                ["stringData"] = data,
            });
        }

        var builder = new KustomizeBuilder(BuildLimits.Default);
        var fromGit = builder.Build(repositoryRoot, $"{clusterPath.TrimEnd('/')}/homelab-system").ToList();
        // The apps namespace too: its Secret must have somewhere to live before the reconciler applies the apps.
        if (AppsNamespaceFromGit(builder, repositoryRoot, clusterPath) is { } appsNamespace)
        {
            fromGit.Add(appsNamespace);
        }
        else
        {
            outOfBand.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = AppsNamespace } });
        }

        return new BootstrapPlan(ApplyOrder.Sort(outOfBand), ApplyOrder.Sort(fromGit));
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

    /// <summary>
    /// Applies <paramref name="plan"/>: namespaces, then the Secrets, then the rest. What comes from Git carries
    /// <paramref name="owner"/>, the key the in-cluster reconciler will use for the same source and path, so
    /// neither reports the other's objects as adopted; the Secrets carry none, so no reconciler ever prunes them.
    /// </summary>
    public static async Task<ChangeSet> ApplyAsync(KubeApi api, BootstrapPlan plan, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var discovery = new ApiDiscovery(api);
        var namespaces = plan.FromGit.Where(o => (string?)o["kind"] == "Namespace").ToList();
        var changes = await Applier(api, discovery, owner).ApplyAsync(namespaces, dryRun: false, cancellationToken).ConfigureAwait(false);
        changes = changes.Concat(await Applier(api, discovery, owner: null).ApplyAsync(plan.OutOfBand, dryRun: false, cancellationToken).ConfigureAwait(false));
        return changes.Concat(await Applier(api, discovery, owner).ApplyAsync([.. plan.FromGit.Except(namespaces)], dryRun: false, cancellationToken).ConfigureAwait(false));
    }

    private static ServerSideApplier Applier(KubeApi api, ApiDiscovery discovery, string? owner) =>
        new(api, discovery, ApplyOptions.Default with { Owner = owner });

    private static JsonObject? AppsNamespaceFromGit(KustomizeBuilder builder, string repositoryRoot, string clusterPath)
    {
        try
        {
            return builder.Build(repositoryRoot, clusterPath)
                .FirstOrDefault(o => (string?)o["kind"] == "Namespace" && (string?)o["metadata"]?["name"] == AppsNamespace);
        }
        catch (BuildException)
        {
            // The whole tree does not render here (bootstrap needs only homelab-system): bootstrap owns a bare one.
            return null;
        }
    }

    private static Dictionary<string, string> ReadParameters(string secretsFile)
    {
        if (!File.Exists(secretsFile))
        {
            throw new IOException($"{secretsFile} does not exist: run the AppHost once (it generates the parameters) or pass --secrets-file");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = ParseSecrets(secretsFile);
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

    /// <summary>The secrets file as a JSON object; anything else is one line naming the file, not a stack trace.</summary>
    private static JsonDocument ParseSecrets(string secretsFile)
    {
        const string Expected = "a JSON object of Parameters:* values (the AppHost's user secrets)";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(secretsFile));
        }
        catch (JsonException ex)
        {
            throw new IOException($"{secretsFile} is not {Expected}: {ex.Message}", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new IOException($"{secretsFile} is not {Expected}");
        }

        return document;
    }
}
