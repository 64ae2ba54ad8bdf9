using System.Text;
using System.Text.Json.Nodes;
using Homelab.Defaults;
using Homelab.Navidrome;
using Homelab.Secrets.Age;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;
using Homelab.Tests.Reconciler.Secrets;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Bootstrapping;

/// <summary>
/// Issue 19's "Done when": the homelab rebuilt from Git and one age key. A repository whose Secrets the AppHost's publish
/// wrote SOPS-encrypted, a fresh state directory and a fresh API server, <c>bootstrap --age-key-file</c> (the CLI), then the
/// reconciler service (<c>run</c>) with the key bootstrap stored. DCP serves no core/v1, so the API server is
/// <see cref="InMemoryApiServer"/>: no controller runs there, so the Deployments stay Progressing and a cycle ends
/// HealthCheckFailed after applying everything, as on a bare kube-apiserver.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RebuildFromGitTests(EncryptedClusterRepository homelab) : IClassFixture<EncryptedClusterRepository>
{
    private const string Cluster = EncryptedClusterRepository.Cluster;
    private static readonly TimeSpan CycleLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Bootstrap_with_the_age_key_then_the_reconciler_create_every_secret_and_no_plaintext_reaches_git_state_logs_output_or_status_FakeApiServer()
    {
        var repository = homelab.NewRepository();
        var commit = repository.Git("rev-parse", "HEAD").Trim();
        await using var server = await InMemoryApiServer.StartAsync();

        var bootstrap = await BootstrapAsync(repository, server, homelab.KeyFile);

        Assert.True(bootstrap.ExitCode == 0, bootstrap.Output + bootstrap.Error);
        // The key, for the in-cluster reconciler; homelab-system's own Secret, decrypted from Git; no secrets file was needed.
        var ageKey = server.Find("v1", "Secret", "homelab-system", ReconcilerDefaults.AgeKeySecret)!;
        Assert.Equal(await File.ReadAllTextAsync(homelab.KeyFile), Decode(ageKey["data"]![ReconcilerDefaults.AgeKeySecretKey]));
        AssertSecrets(server, "homelab-reconciler");
        Assert.Null(server.Find("v1", "Secret", "homelab", "syncthing-secrets"));

        // The reconciler as the cluster runs it: its key is the file the kubelet mounts from homelab-age-key.
        AssertDeploymentReadsTheKeyFromTheSecret(server.Find("apps/v1", "Deployment", "homelab-system", "homelab-reconciler")!);
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var logs = new CapturingLoggerProvider();
        string statusJson;
        await using (var host = await StartReconcilerAsync(repository, server, state, MountedKey(ageKey), logs))
        {
            var status = await CycleOfAsync(host, commit);
            statusJson = await host.Http.GetStringAsync(new Uri("/status", UriKind.Relative));

            // Everything applied; only the Deployments' rollout, which no controller here performs, is not healthy.
            Assert.True((string?)status["reason"] == "HealthCheckFailed", statusJson);
            Assert.EndsWith(commit, (string?)status["lastAppliedRevision"], StringComparison.Ordinal);
            Assert.DoesNotContain("Secret", (string?)status["message"], StringComparison.Ordinal);
            Assert.Equal(3, (int?)status["inventory"]?["Secret"]);
        }

        // Bootstrap labelled homelab-system with the owner the reconciler derives: nothing was adopted from it.
        Assert.DoesNotContain(logs.Lines, l => l.Contains("they are now this source's and path's", StringComparison.Ordinal));

        AssertSecrets(server, [.. ClusterSecrets.All.Select(s => s.Name)]);
        Assert.Equal(4, server.OfKind("v1", "Secret").Count);
        Assert.All(server.OfKind("v1", "Secret"), s => Assert.Null(s["sops"]));

        // Not one plaintext value (nor its base64, nor the age key) in Git, the state directory, the logs, the output or /status.
        var gitHistory = repository.Git("log", "-p", "--all");
        Assert.Contains("ENC[AES256_GCM,", gitHistory, StringComparison.Ordinal);
        var stateFiles = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(stateFiles, f => f.EndsWith(".json", StringComparison.Ordinal) && f.Contains("inventories", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains(commit, StringComparison.Ordinal));
        var places = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["git history"] = gitHistory,
            ["logs"] = logs.AllText,
            ["bootstrap output"] = bootstrap.Output + bootstrap.Error,
            ["publish output"] = homelab.PublishOutput,
            ["/status"] = statusJson,
        };
        foreach (var file in stateFiles.Concat(Directory.EnumerateFiles(repository.Root, "*", SearchOption.AllDirectories)))
        {
            places[file] = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
        }

        foreach (var (place, text) in places)
        {
            Assert.All(Plaintexts(), p => Assert.False(text.Contains(p, StringComparison.Ordinal), $"{place} holds a secret value"));
        }
    }

    [Fact]
    public async Task A_tampered_secret_after_a_good_revision_fails_with_DecryptionFailed_naming_the_file_and_changes_nothing_FakeApiServer()
    {
        var repository = homelab.NewRepository();
        var good = repository.Git("rev-parse", "HEAD").Trim();
        await using var server = await InMemoryApiServer.StartAsync();
        using var logs = new CapturingLoggerProvider();
        var (host, state) = await BootstrapThenRunAsync(repository, server, logs);
        await using var stopped = host;
        Assert.EndsWith(good, (string?)(await CycleOfAsync(host, good))["lastAppliedRevision"], StringComparison.Ordinal);
        // A later cycle of the same revision writes nothing: what follows compares byte for byte.
        var stored = server.Dump();
        var writes = server.Writes;
        var inventory = await File.ReadAllTextAsync(Assert.Single(StateDirectory.InventoryFiles(state)));

        // A value tampered with, in a commit that would also create one object and prune another.
        const string Tampered = $"{Cluster}/apps/secret-navidrome-secrets.sops.yaml";
        var file = Path.Combine(repository.Root, Tampered);
        var navidrome = Path.Combine(repository.Root, Cluster, "apps/navidrome/kustomization.yaml");
        repository.Write(Tampered, SopsTestFiles.Tamper(await File.ReadAllTextAsync(file)))
            .Write($"{Cluster}/apps/navidrome/kustomization.yaml", (await File.ReadAllTextAsync(navidrome)).Replace("- networkpolicy.yaml\n", string.Empty, StringComparison.Ordinal))
            .Write($"{Cluster}/apps/serviceaccount-extra.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: extra\n  namespace: homelab\n")
            .Write($"{Cluster}/apps/kustomization.yaml", (await File.ReadAllTextAsync(Path.Combine(repository.Root, Cluster, "apps/kustomization.yaml"))).TrimEnd('\n') + "\n- serviceaccount-extra.yaml\n");
        var tampered = repository.Commit("a tampered secret");
        await ReconcileNowAsync(host);

        var failed = await CycleOfAsync(host, tampered);

        Assert.Equal("DecryptionFailed", (string?)failed["reason"]);
        Assert.Contains(Tampered, (string?)failed["message"], StringComparison.Ordinal);
        Assert.Contains("Tampered", (string?)failed["message"], StringComparison.Ordinal);
        Assert.EndsWith(good, (string?)failed["lastAppliedRevision"], StringComparison.Ordinal);
        Assert.Equal(writes, server.Writes);
        Assert.Equal(stored, server.Dump());
        Assert.Equal(inventory, await File.ReadAllTextAsync(Assert.Single(StateDirectory.InventoryFiles(state))));
        Assert.DoesNotContain(homelab.Values["navidrome-admin-password"], logs.AllText + failed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_fails_bootstrap_and_the_reconciler_with_DecryptionFailed_naming_the_file_and_nothing_is_applied_FakeApiServer()
    {
        var repository = homelab.NewRepository();
        var commit = repository.Git("rev-parse", "HEAD").Trim();
        var wrongKey = SopsTestFiles.WriteKey(AgeIdentity.Generate());
        await using var server = await InMemoryApiServer.StartAsync();

        var bootstrap = await BootstrapAsync(repository, server, wrongKey);

        Assert.NotEqual(0, bootstrap.ExitCode);
        Assert.Contains($"{Cluster}/homelab-system/secret-homelab-reconciler.sops.yaml", bootstrap.Error, StringComparison.Ordinal);
        Assert.Contains("NoMatchingKey", bootstrap.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Writes);

        // The reconciler with that key (a homelab-age-key that does not open this repository), on a fresh state directory.
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var logs = new CapturingLoggerProvider();
        await using var host = await StartReconcilerAsync(repository, server, state, wrongKey, logs);
        var failed = await CycleOfAsync(host, commit);

        Assert.Equal("DecryptionFailed", (string?)failed["reason"]);
        Assert.Matches($@"{Cluster}/(apps|homelab-system)/secret-[a-z-]+\.sops\.yaml: cannot be decrypted: NoMatchingKey", (string?)failed["message"]);
        Assert.Null(failed["lastAppliedRevision"]?.GetValue<string>());
        Assert.Equal(0, server.Writes);
        Assert.Equal(string.Empty, server.Dump());
        Assert.Empty(StateDirectory.InventoryFiles(state));
    }

    private static async Task<CliResult> BootstrapAsync(GitRepository repository, InMemoryApiServer server, string keyFile)
    {
        // No user-secrets file: the Secrets come from Git.
        var noSecretsFile = Path.Combine(Directory.CreateTempSubdirectory("homelab-nosecrets-").FullName, "secrets.json");
        return await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", repository.Root, "--path", Cluster, "--kubeconfig", server.Kubeconfig, "--age-key-file", keyFile, "--secrets-file", noSecretsFile, "--no-wait");
    }

    /// <summary>Bootstrap with the key, then the reconciler with the key bootstrap stored, as the pod mounts it, on a fresh state directory.</summary>
    private async Task<(ReconcilerHost Host, string State)> BootstrapThenRunAsync(GitRepository repository, InMemoryApiServer server, CapturingLoggerProvider logs)
    {
        var bootstrap = await BootstrapAsync(repository, server, homelab.KeyFile);
        Assert.True(bootstrap.ExitCode == 0, bootstrap.Output + bootstrap.Error);
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var key = MountedKey(server.Find("v1", "Secret", "homelab-system", ReconcilerDefaults.AgeKeySecret)!);
        return (await StartReconcilerAsync(repository, server, state, key, logs), state);
    }

    private static async Task ReconcileNowAsync(ReconcilerHost host)
    {
        using var trigger = await host.PostAsync("/reconcile");
        Assert.True(trigger.IsSuccessStatusCode, $"POST /reconcile: {(int)trigger.StatusCode}");
    }

    private static Task<ReconcilerHost> StartReconcilerAsync(GitRepository repository, InMemoryApiServer server, string state, string keyFile, CapturingLoggerProvider logs) =>
        ReconcilerHost.StartAsync(repository.Root, Cluster, server.Kubeconfig, TimeSpan.FromMinutes(10),
            builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace),
            "--Logging:LogLevel:Default=Trace", $"--Reconciler:StateDirectory={state}", $"--Reconciler:AgeKeyFile={keyFile}", "--Reconciler:HealthTimeout=00:00:02");

    /// <summary>The status once a cycle of <paramref name="commit"/> finished (a cycle time, and not still Progressing).</summary>
    private static async Task<JsonObject> CycleOfAsync(ReconcilerHost host, string commit)
    {
        JsonObject status = [];
        var finished = await ReconcilerHost.WithinAsync(CycleLimit, async () =>
        {
            status = await host.StatusAsync();
            return ((string?)status["lastAttemptedRevision"])?.EndsWith(commit, StringComparison.Ordinal) == true
                && status["lastReconcileAt"] is not null && (string?)status["reason"] != "Progressing";
        });
        Assert.True(finished is not null, $"no finished cycle of {commit}: {status.ToJsonString()}");
        return status;
    }

    [Fact]
    public async Task A_secret_value_edited_in_the_cluster_is_repaired_from_git_FakeApiServer()
    {
        var repository = homelab.NewRepository();
        var commit = repository.Git("rev-parse", "HEAD").Trim();
        await using var server = await InMemoryApiServer.StartAsync();
        using var logs = new CapturingLoggerProvider();
        var (host, _) = await BootstrapThenRunAsync(repository, server, logs);
        await using var stopped = host;
        await CycleOfAsync(host, commit);

        // Someone sets Navidrome's admin password by hand (stringData would have hidden it from the owned-fields fingerprint).
        server.Edit("v1", "Secret", "homelab", FirstAdminSecret.Name, "kubectl-edit", s => s["data"]![FirstAdminSecret.PasswordKey] = Convert.ToBase64String("by-hand"u8));
        await ReconcileNowAsync(host);

        var repaired = await ReconcilerHost.WithinAsync(CycleLimit, () => Task.FromResult(
            Decode(server.Find("v1", "Secret", "homelab", FirstAdminSecret.Name)!["data"]![FirstAdminSecret.PasswordKey]) == homelab.Values["navidrome-admin-password"]));
        Assert.True(repaired is not null, "the edited Secret was not repaired");
        Assert.Contains(logs.Lines, l => l.Contains($"Secret/homelab/{FirstAdminSecret.Name} was changed out of band", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_again_on_the_same_cluster_writes_nothing_FakeApiServer()
    {
        var repository = homelab.NewRepository();
        await using var server = await InMemoryApiServer.StartAsync();
        var first = await BootstrapAsync(repository, server, homelab.KeyFile);
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var stored = server.Dump();

        var again = await BootstrapAsync(repository, server, homelab.KeyFile);

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("Secret/homelab-system/homelab-age-key", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("created", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("configured", again.Output, StringComparison.Ordinal);
        Assert.Equal(stored, server.Dump());
    }

    /// <summary>
    /// The published Deployment mounts Secret homelab-age-key where its Reconciler__AgeKeyFile points, as
    /// <see cref="MountedKey"/> lays it out: the key file is the Secret's one key.
    /// </summary>
    private static void AssertDeploymentReadsTheKeyFromTheSecret(JsonObject deployment)
    {
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var keyFile = (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == "Reconciler__AgeKeyFile")!["value"];
        var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["secret"]?["secretName"] == ReconcilerDefaults.AgeKeySecret)!;
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == (string?)volume["name"])!;
        Assert.Equal($"{mount["mountPath"]}/{ReconcilerDefaults.AgeKeySecretKey}", keyFile);
    }

    /// <summary>Secret homelab-age-key as the kubelet mounts it: its key as a file of its own.</summary>
    private static string MountedKey(JsonObject secret)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-age-key-").FullName, ReconcilerDefaults.AgeKeySecretKey);
        File.WriteAllText(file, Decode(secret["data"]![ReconcilerDefaults.AgeKeySecretKey]));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    /// <summary>Each named Secret holds exactly the parameters' values (and Navidrome's first admin), decoded from its data.</summary>
    private void AssertSecrets(InMemoryApiServer server, params string[] names)
    {
        foreach (var (name, ns, keys) in ClusterSecrets.All.Where(s => names.Contains(s.Name)))
        {
            var secret = server.Find("v1", "Secret", ns, name);
            Assert.True(secret is not null, $"Secret {ns}/{name} was not created");
            var expected = keys.ToDictionary(k => k.Key, k => homelab.Values[k.Parameter]);
            if (name == FirstAdminSecret.Name)
            {
                expected[FirstAdminSecret.UserKey] = NavidromeApi.DefaultAdminUser;
            }

            Assert.Equal(expected, secret["data"]!.AsObject().ToDictionary(p => p.Key, p => Decode(p.Value)));
        }
    }

    /// <summary>Every value that must stay secret: each parameter (a PEM by its body lines), its base64 as a Secret stores it, and the age key.</summary>
    private IEnumerable<string> Plaintexts() =>
        homelab.Values.Values
            .SelectMany(v => v.Contains('\n') ? v.Split('\n').Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)) : [v])
            .Concat(homelab.Values.Values.Select(v => Convert.ToBase64String(Encoding.UTF8.GetBytes(v))))
            .Append(homelab.Identity.SecretText());

    private static string Decode(JsonNode? value) => Encoding.UTF8.GetString(Convert.FromBase64String((string)value!));
}
