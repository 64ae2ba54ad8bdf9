using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Hosting;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Hosting;

/// <summary>
/// The migration from user secrets: the AppHost's six secret parameters written encrypted, readable by our library,
/// by npm's sops-age and by the AppHost itself; the user's key comes from age-keygen, the reference implementation.
/// </summary>
public sealed class UserSecretsImportTests
{
    [Fact]
    public async Task Import_writes_every_secret_parameter_encrypted_to_a_new_sops_config_naming_the_users_key()
    {
        var root = Directory.CreateTempSubdirectory("homelab-import-").FullName;
        var (keyFile, recipient) = await AgeCli.KeygenAsync(root);
        var file = Path.Combine(root, EncryptedParameters.DefaultFile);
        await using var builder = await AppHostModel.BuildAsync();
        var parameters = builder.Resources.OfType<ParameterResource>().Where(p => p.Secret).ToList();
        var expected = new Dictionary<string, string>();
        foreach (var parameter in parameters)
        {
            expected[parameter.Name] = (await parameter.GetValueAsync(default))!;
        }

        var written = await UserSecretsImport.WriteAsync(builder.Resources.OfType<ParameterResource>(), file, root, name => name == SopsAgeKeys.KeyFileVariable ? keyFile : null, default);

        Assert.Null(written.Error);
        Assert.Equal(expected.Keys.Order(), written.Value!.Order());
        Assert.Equal(6, written.Value!.Count);
        Assert.Contains(recipient, await File.ReadAllTextAsync(Path.Combine(root, SopsConfigFile.Name)));
        var text = await File.ReadAllTextAsync(file);
        Assert.All(expected.Values, v => Assert.DoesNotContain(v.Contains('\n') ? v.Split('\n')[1] : v, text));

        // Our library, with the user's key file as sops finds it.
        var identities = SopsAgeKeys.Load(name => name == SopsAgeKeys.KeyFileVariable ? keyFile : null).Value!;
        Assert.Equal(expected, EncryptedParameters.Parse(SopsFile.Decrypt(file, text, identities).Value!));

        // npm's sops-age: the same values.
        var json = await SopsAgeDecoder.DecryptAsync(file, (await File.ReadAllTextAsync(keyFile)).Split('\n').Single(l => l.StartsWith("AGE-SECRET-KEY-", StringComparison.Ordinal)));
        Assert.True(JsonNode.DeepEquals(new JsonObject(expected.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))), json), "sops-age reads other values");

        // The AppHost itself, with the given values gone: everything comes from the file.
        await using var next = await AppHostModel.BuildAsync($"{EncryptedParameters.SettingKey}={file}", $"{SopsAgeKeys.KeyFileVariable}={keyFile}", $"XDG_CONFIG_HOME={root}");
        foreach (var (name, value) in expected)
        {
            Assert.True(value == await next.Single<ParameterResource>(name).GetValueAsync(default), $"{name} differs after import");
        }
    }

    [Fact]
    public async Task Import_uses_an_existing_sops_config_and_fails_typed_without_any_key()
    {
        var root = Directory.CreateTempSubdirectory("homelab-import-").FullName;
        var file = Path.Combine(root, EncryptedParameters.DefaultFile);
        var noKeys = Directory.CreateTempSubdirectory("homelab-nokeys-").FullName;
        await using var builder = await AppHostModel.BuildAsync();

        var failed = await UserSecretsImport.WriteAsync(builder.Resources.OfType<ParameterResource>(), file, root, name => name == "XDG_CONFIG_HOME" ? noKeys : null, default);
        Assert.Equal(SopsErrorKind.NoMatchingKey, failed.Error?.Kind);
        Assert.False(File.Exists(file));

        // A team's .sops.yaml: the file goes to its recipients, no key of the user's needed.
        var member = AgeIdentity.Generate();
        await File.WriteAllTextAsync(Path.Combine(root, SopsConfigFile.Name), $"creation_rules:\n  - age: {member.Recipient.Text}\n");
        var written = await UserSecretsImport.WriteAsync(builder.Resources.OfType<ParameterResource>(), file, root, name => name == "XDG_CONFIG_HOME" ? noKeys : null, default);
        Assert.Null(written.Error);
        Assert.True(SopsFile.Decrypt(file, await File.ReadAllTextAsync(file), [member]).Succeeded);
    }

    [Fact]
    public async Task The_command_writes_the_file_and_prints_names_never_values()
    {
        var (root, identity, keyFile) = EncryptedParametersTests.NewKey();
        var values = EncryptedParametersTests.Values();
        var file = Path.Combine(root, EncryptedParameters.DefaultFile);
        await File.WriteAllTextAsync(Path.Combine(root, SopsConfigFile.Name), $"creation_rules:\n  - age: {identity.Recipient.Text}\n");
        // Every value given, as user secrets would: nothing is generated into this machine's user secrets.
        string[] arguments =
        [
            "run", "--project", "Homelab.AppHost", "--no-build", "-c", TestPaths.Configuration, "--", UserSecretsImport.Command,
            $"--{EncryptedParameters.SettingKey}={file}", $"--{SopsAgeKeys.KeyFileVariable}={keyFile}", $"--XDG_CONFIG_HOME={root}",
            .. values.Select(v => $"--Parameters:{v.Key}={v.Value}"),
        ];

        var result = await ProcessRunner.RunToExitAsync("dotnet", arguments, TestPaths.RepositoryRoot);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.All(values, v => Assert.DoesNotContain(v.Value.Contains('\n') ? v.Value.Split('\n')[1] : v.Value, result.Output + result.Error, StringComparison.Ordinal));
        Assert.Equal(values, EncryptedParameters.Parse(SopsFile.Decrypt(file, await File.ReadAllTextAsync(file), [identity]).Value!));
    }
}
