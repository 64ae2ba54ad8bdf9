using System.Reflection;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Hosting;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Homelab.Tests.AppHost.Hosting;

/// <summary>
/// A secret parameter the encrypted file lacks (a new one, or syncthing-identity for a file made before it existed): a run
/// generates it into user secrets, as Aspire does, and into the file, so a rebuild from Git has it. The run's user secrets
/// are a store of its own (APPDATA), so this machine's are neither read nor written: hence the non-parallel collection.
/// </summary>
[Collection(AppHostRunCollection.Name)]
public sealed class GeneratedParametersTests
{
    private const string Missing = AppHostModel.SyncthingIdentityParameter;

    [Fact]
    public async Task A_value_generated_by_a_run_is_added_to_the_encrypted_file_and_the_others_keep_their_ciphertext()
    {
        var (folder, identity, keyFile) = EncryptedParametersTests.NewKey();
        var values = EncryptedParametersTests.Values();
        values.Remove(Missing);
        var file = EncryptedParametersTests.Write(folder, values, identity.Recipient);
        var before = await File.ReadAllTextAsync(file);
        var userSecrets = Directory.CreateTempSubdirectory("homelab-usersecrets-").FullName;
        string generated;
        var appData = Environment.GetEnvironmentVariable("APPDATA");
        Environment.SetEnvironmentVariable("APPDATA", userSecrets);
        try
        {
            await using var builder = await AppHostModel.BuildAsync(
                [Missing],
                $"{EncryptedParameters.SettingKey}={file}",
                $"{SopsAgeKeys.KeyFileVariable}={keyFile}",
                $"XDG_CONFIG_HOME={folder}",
                "Homelab:Navidrome:Enabled=false",
                "Homelab:Syncthing:Enabled=false",
                "Homelab:Reconciler:Enabled=false");
            await using var app = await builder.BuildAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await app.StartAsync(timeout.Token);
            generated = (await builder.Single<ParameterResource>(Missing).GetValueAsync(timeout.Token))!;
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            Environment.SetEnvironmentVariable("APPDATA", appData);
        }

        Assert.NotNull(Homelab.AppHost.Syncthing.SyncthingIdentity.Parse(generated, out _));
        var after = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain(generated.Split('\n')[1], after, StringComparison.Ordinal);
        // Our reader and npm's sops-age: the old values and the new one.
        var expected = new Dictionary<string, string>(values) { [Missing] = generated };
        Assert.Equal(expected, EncryptedParameters.Parse(SopsFile.Decrypt(file, after, [identity]).Value!));
        var decoded = await SopsAgeDecoder.DecryptAsync(file, identity.SecretText());
        Assert.True(JsonNode.DeepEquals(new JsonObject(expected.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))), decoded), "sops-age reads other values");
        // The values that were there keep their ciphertext byte for byte: Git shows the one new value.
        Assert.All(values.Keys, name => Assert.Contains(Assert.Single(before.Split('\n'), l => l.StartsWith(name + ": ENC[", StringComparison.Ordinal)), after, StringComparison.Ordinal));
        // And Aspire kept it in the (run's own) user secrets, as it always did.
        var id = typeof(EncryptedParameters).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId;
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(userSecrets, "Microsoft", "UserSecrets", id, "secrets.json")))!;
        Assert.Equal(generated, (string?)stored[$"Parameters:{Missing}"]);
    }

    [Fact]
    public void Without_a_file_in_use_a_generated_value_stays_in_user_secrets_and_that_is_said_once()
    {
        var (folder, identity, _) = EncryptedParametersTests.NewKey();
        var file = EncryptedParametersTests.Write(folder, EncryptedParametersTests.Values(), identity.Recipient);
        var before = File.ReadAllText(file);
        var report = new StringWriter();
        var store = new GeneratedParameterStore(file, null, $"{file} not used: no age key", report, TimeProvider.System);

        store.Keep("syncthing-api-key", "first-generated-value");
        store.Keep("reconciler-api-token", "second-generated-value");

        Assert.Equal(before, File.ReadAllText(file));
        var line = Assert.Single(report.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("user secrets only", line, StringComparison.Ordinal);
        Assert.Contains("no age key", line, StringComparison.Ordinal);
        Assert.DoesNotContain("generated-value", line, StringComparison.Ordinal);
    }
}
