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

    /// <summary>The fields of a Secret that hold values: a dry run redacts both.</summary>
    private static readonly string[] SecretValueFields = ["stringData", "data"];

    private const string UserSecretsId = "homelab-apphost-5c1f9e2a-6b1d-4a8e-9d0f-1e2b3c4d5e6f";

    /// <summary>
    /// The Secrets made from the AppHost's parameters (never in Git) and <c>homelab-system</c> as rendered from
    /// <paramref name="clusterPath"/>, with the apps' namespace: as Git has it when the cluster's tree holds it (the
    /// in-cluster reconciler will own it), else a bare one bootstrap alone owns.
    /// </summary>
    public static BootstrapPlan Plan(string repositoryRoot, string clusterPath, string secretsFile) => Plan(repositoryRoot, clusterPath, secretsFile, ageKeyFile: null);

    /// <inheritdoc cref="Plan(string, string, string)"/>
    /// <remarks>
    /// With <paramref name="ageKeyFile"/>, Secret <see cref="ReconcilerDefaults.AgeKeySecret"/> holds it for the in-cluster
    /// reconciler, and homelab-system's SOPS-encrypted objects are decrypted with it. When the tree holds encrypted objects,
    /// its Secrets come from Git: the secrets file is read only when it exists, and only for Secrets the tree lacks.
    /// </remarks>
    public static BootstrapPlan Plan(string repositoryRoot, string clusterPath, string secretsFile, string? ageKeyFile)
    {
        var builder = new KustomizeBuilder(BuildLimits.Default);
        var tree = RenderTree(builder, repositoryRoot, clusterPath);
        var encrypted = tree.Any(o => o["sops"] is not null);
        var inGit = tree.Where(o => (string?)o["kind"] == "Secret").Select(o => $"{o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}").ToHashSet(StringComparer.Ordinal);
        var wanted = Secrets.Where(s => !(encrypted && inGit.Contains($"{s.Namespace}/{s.Name}"))).ToList();
        var parameters = encrypted && !File.Exists(secretsFile) ? null : ReadParameters(secretsFile);
        var outOfBand = parameters is null ? [] : ParameterSecrets(wanted, parameters, secretsFile);
        IReadOnlyList<Homelab.Secrets.Age.AgeIdentity> identities = [];
        if (ageKeyFile is not null)
        {
            var found = new List<Homelab.Secrets.Age.AgeIdentity>();
            if (Reconciler.Secrets.ReconcilerAgeKeys.Problem(ageKeyFile, found) is { } problem)
            {
                throw new IOException($"--age-key-file {ageKeyFile} {problem}");
            }

            identities = found;
            outOfBand.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = ReconcilerDefaults.AgeKeySecret, ["namespace"] = "homelab-system" },
                ["type"] = "Opaque",
                ["stringData"] = new JsonObject { [ReconcilerDefaults.AgeKeySecretKey] = File.ReadAllText(ageKeyFile) },
            });
        }

        var decryptor = new Reconciler.Secrets.ManifestDecryptor(() => new(identities, null), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        List<JsonObject> fromGit;
        try
        {
            fromGit = [.. decryptor.Render(builder, repositoryRoot, $"{clusterPath.TrimEnd('/')}/homelab-system", "bootstrap").Objects.Select(o => o.Content)];
        }
        catch (FileContentException ex)
        {
            throw new IOException($"{ex.Message} (pass the age key with --age-key-file)", ex);
        }

        // The apps namespace too: its Secret must have somewhere to live before the reconciler applies the apps.
        if (tree.FirstOrDefault(o => (string?)o["kind"] == "Namespace" && (string?)o["metadata"]?["name"] == AppsNamespace) is { } appsNamespace)
        {
            fromGit.Add(appsNamespace);
        }
        else
        {
            outOfBand.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = AppsNamespace } });
        }

        return new BootstrapPlan(ApplyOrder.Sort(outOfBand), ApplyOrder.Sort(fromGit));
    }

    /// <summary>
    /// Why <paramref name="ageKeyFile"/>'s mode lets others read it (group or world bits), as ssh warns of a private key; null when
    /// only its owner can (or the platform has no such modes).
    /// </summary>
    public static string? KeyFileModeWarning(string ageKeyFile)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(ageKeyFile))
        {
            return null;
        }

        var others = File.GetUnixFileMode(ageKeyFile) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        return others == UnixFileMode.None ? null : $"warning: {ageKeyFile} can be read by others than its owner ({others}): chmod 600 it";
    }

    /// <summary>The Secrets made from the AppHost's parameters.</summary>
    private static List<JsonObject> ParameterSecrets(List<(string Name, string Namespace, (string Key, string Parameter)[] Keys)> wanted, Dictionary<string, string> parameters, string secretsFile)
    {
        var missing = wanted.SelectMany(s => s.Keys).Select(k => k.Parameter).Where(p => !parameters.ContainsKey(p) && !ClusterSecrets.OptionalParameters.Contains(p)).ToList();
        if (missing.Count > 0)
        {
            throw new IOException($"{secretsFile} lacks {string.Join(", ", missing.Select(m => $"Parameters:{m}"))}: run the AppHost once (it generates them) or set them with dotnet user-secrets");
        }

        var outOfBand = new List<JsonObject>();
        foreach (var (name, ns, keys) in wanted)
        {
            var data = new JsonObject();
            foreach (var (key, parameter) in keys.Where(k => parameters.ContainsKey(k.Parameter)))
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

        return outOfBand;
    }

    /// <summary>The whole cluster's tree; when it does not render here, homelab-system alone (bootstrap needs only that).</summary>
    private static IReadOnlyList<JsonObject> RenderTree(KustomizeBuilder builder, string repositoryRoot, string clusterPath)
    {
        try
        {
            return builder.Build(repositoryRoot, clusterPath);
        }
        catch (BuildException)
        {
            return [];
        }
    }
    /// <summary>The objects as YAML with every Secret value replaced by <see cref="Redacted"/>.</summary>
    public static string DryRun(IReadOnlyList<JsonObject> objects)
    {
        var redacted = objects.Select(o =>
        {
            var copy = (JsonObject)o.DeepClone();
            foreach (var field in SecretValueFields)
            {
                if ((string?)copy["kind"] == "Secret" && copy[field] is JsonObject data)
                {
                    foreach (var key in data.Select(p => p.Key).ToList())
                    {
                        data[key] = Redacted;
                    }
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
