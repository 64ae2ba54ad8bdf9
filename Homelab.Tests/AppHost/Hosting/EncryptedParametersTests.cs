using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Hosting;
using Homelab.AppHost.Syncthing;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Tests.AppHost.Hosting;

/// <summary>
/// The AppHost's parameters from secrets/homelab.sops.yaml: real files encrypted by our library to real age keys, read
/// by the AppHost's model over the values given as user secrets would be.
/// </summary>
public sealed class EncryptedParametersTests
{
    [Fact]
    public async Task Parameters_resolve_from_the_encrypted_file_over_user_secrets()
    {
        var (folder, identity, keyFile) = NewKey();
        var values = Values();
        var file = Write(folder, values, identity.Recipient);

        await using var builder = await AppHostModel.BuildAsync($"{EncryptedParameters.SettingKey}={file}", $"{SopsAgeKeys.KeyFileVariable}={keyFile}", $"XDG_CONFIG_HOME={folder}");

        foreach (var (name, value) in values)
        {
            Assert.True(value == await builder.Single<ParameterResource>(name).GetValueAsync(default), $"{name} does not come from the file");
        }
    }

    [Fact]
    public async Task Without_an_age_key_the_file_is_skipped_and_user_secrets_apply()
    {
        var (folder, identity, _) = NewKey();
        var values = Values();
        var file = Write(folder, values, identity.Recipient);
        // An empty config folder: no keys.txt, and no SOPS_AGE_KEY(_FILE).
        var noKeys = Directory.CreateTempSubdirectory("homelab-nokeys-").FullName;
        string? Environment(string name) => name == "XDG_CONFIG_HOME" ? noKeys : null;

        var load = EncryptedParameters.Load(file, Environment);
        Assert.Null(load.Values);
        Assert.Null(load.Error);
        Assert.Contains(file, load.SkippedBecause);
        Assert.Contains("user secrets", load.SkippedBecause);

        await using var builder = await AppHostModel.BuildAsync($"{EncryptedParameters.SettingKey}={file}", $"XDG_CONFIG_HOME={noKeys}", "Parameters:syncthing-api-key=from-user-secrets");
        Assert.Equal("from-user-secrets", await builder.Single<ParameterResource>("syncthing-api-key").GetValueAsync(default));
    }

    [Fact]
    public async Task A_wrong_key_is_one_error_naming_the_file_and_the_AppHost_does_not_start()
    {
        var (folder, _, _) = NewKey();
        var file = Write(folder, Values(), AgeIdentity.Generate().Recipient);
        var (_, _, otherKeyFile) = NewKey();

        var load = EncryptedParameters.Load(file, name => name == SopsAgeKeys.KeyFileVariable ? otherKeyFile : null);
        Assert.Null(load.Values);
        Assert.Equal(SopsErrorKind.NoMatchingKey, load.Error?.Kind);
        Assert.Equal(file, load.Error?.File);

        // The entry point returns before building a model: nothing starts on other credentials.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            AppHostModel.BuildAsync($"{EncryptedParameters.SettingKey}={file}", $"{SopsAgeKeys.KeyFileVariable}={otherKeyFile}"));
    }

    [Fact]
    public void A_tampered_file_is_one_error_naming_the_file()
    {
        var (folder, identity, keyFile) = NewKey();
        var file = Write(folder, new Dictionary<string, string> { ["syncthing-api-key"] = "abcdefghijklmnopqrstuvwxyz012345", ["reconciler-api-token"] = "0123456789abcdefghijklmnopqrstuv" }, identity.Recipient);
        var lines = File.ReadAllLines(file);
        // Swap the two encrypted values: each still decrypts under its own path only, so the AAD check fails.
        var first = Array.FindIndex(lines, l => l.StartsWith("reconciler-api-token:", StringComparison.Ordinal));
        var second = Array.FindIndex(lines, l => l.StartsWith("syncthing-api-key:", StringComparison.Ordinal));
        (lines[first], lines[second]) = ("reconciler-api-token:" + lines[second]["syncthing-api-key:".Length..], "syncthing-api-key:" + lines[first]["reconciler-api-token:".Length..]);
        File.WriteAllLines(file, lines);

        var load = EncryptedParameters.Load(file, name => name == SopsAgeKeys.KeyFileVariable ? keyFile : null);
        Assert.Null(load.Values);
        Assert.Equal(SopsErrorKind.Tampered, load.Error?.Kind);
        Assert.Equal(file, load.Error?.File);
        Assert.DoesNotContain("abcdefghij", load.Error!.ToString());
    }

    [Fact]
    public void A_multi_line_identity_survives_the_round_trip()
    {
        var identity = SyncthingIdentity.Generate(TimeProvider.System).Value;
        var values = new Dictionary<string, string> { [AppHostModel.SyncthingIdentityParameter] = identity, ["syncthing-api-key"] = "plain" };
        Assert.Equal(values, EncryptedParameters.Parse(EncryptedParameters.ToYaml(values)));
    }

    internal static (string Folder, AgeIdentity Identity, string KeyFile) NewKey()
    {
        var folder = Directory.CreateTempSubdirectory("homelab-encrypted-").FullName;
        var identity = AgeIdentity.Generate();
        var keyFile = Path.Combine(folder, "keys.txt");
        File.WriteAllText(keyFile, identity.SecretText() + "\n");
        return (folder, identity, keyFile);
    }

    internal static Dictionary<string, string> Values() => new(
        AppHostModel.SecretParameters.Select(p => KeyValuePair.Create(p, $"sops-{p}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(24)}"))
            .Append(KeyValuePair.Create(AppHostModel.SyncthingIdentityParameter, SyncthingIdentity.Generate(TimeProvider.System).Value)));

    internal static string Write(string folder, IReadOnlyDictionary<string, string> values, AgeRecipient recipient)
    {
        var file = Path.Combine(folder, "secrets", "homelab.sops.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var encrypted = SopsFile.Encrypt(file, EncryptedParameters.ToYaml(values), new SopsCreationRule([recipient], new SopsRules()));
        Assert.Null(encrypted.Error);
        File.WriteAllText(file, encrypted.Value);
        return file;
    }
}
