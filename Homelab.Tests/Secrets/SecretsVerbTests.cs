using Homelab.Secrets.Age;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Secrets;

/// <summary>
/// `Homelab.Reconciler secrets …` as a user runs it: a real process, keys found as sops finds them (SOPS_AGE_KEY_FILE,
/// SOPS_AGE_KEY, $XDG_CONFIG_HOME/sops/age/keys.txt), rules from the nearest .sops.yaml, one-line errors without values.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretsVerbTests
{
    private const string Password = "hunter2-plaintext";
    private readonly string home = Directory.CreateTempSubdirectory("homelab-secrets-home-").FullName;
    private readonly string repository = Directory.CreateTempSubdirectory("homelab-secrets-repo-").FullName;

    [Fact]
    public async Task Keygen_writes_a_0600_identity_that_age_reads_and_prints_its_public_key()
    {
        var file = Path.Combine(home, "keys.txt");
        var result = await RunAsync(["secrets", "keygen", "-o", file]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var recipient = await AgeCli.RecipientOfAsync(file);
        Assert.Equal($"Public key: {recipient}", result.Error.Trim());
        Assert.Contains($"# public key: {recipient}", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        var again = await RunAsync(["secrets", "keygen", "-o", file]);
        Assert.Equal(2, again.ExitCode);
        Assert.StartsWith("error: ", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_makes_the_folder_sops_looks_in_private_as_README_runs_it()
    {
        var file = Path.Combine(home, ".config", "sops", "age", "keys.txt");

        var result = await RunAsync(["secrets", "keygen", "-o", file]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal($"Public key: {await AgeCli.RecipientOfAsync(file)}", result.Error.Trim());
    }

    [Fact]
    public async Task Encrypt_in_place_follows_the_nearest_sops_yaml_and_decrypt_prints_the_plaintext_with_each_key_source()
    {
        var identity = AgeIdentity.Generate();
        await File.WriteAllTextAsync(Path.Combine(repository, ".sops.yaml"), $"creation_rules:\n  - path_regex: \\.env$\n    age: {AgeIdentity.Generate().Recipient}\n  - path_regex: ^clusters/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: {identity.Recipient}\n");
        var folder = Directory.CreateDirectory(Path.Combine(repository, "clusters", "home")).FullName;
        var file = Path.Combine(folder, "secret.yaml");
        var plaintext = $"# the first admin\napiVersion: v1\nkind: Secret\nmetadata:\n  name: admin\nstringData:\n  password: {Password}\n";
        await File.WriteAllTextAsync(file, plaintext);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var encrypt = await RunAsync(["secrets", "encrypt", file]);
        Assert.Equal(0, encrypt.ExitCode);
        Assert.DoesNotContain("warning", encrypt.Error, StringComparison.Ordinal);
        var encrypted = await File.ReadAllTextAsync(file);
        // Kept, and in the clear: the rule encrypts data and stringData only, and the comment is above them.
        Assert.StartsWith("# the first admin\n", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, encrypted, StringComparison.Ordinal);
        Assert.Contains("name: admin", encrypted, StringComparison.Ordinal);
        Assert.Contains(identity.Recipient.Text, encrypted, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal([file], Directory.GetFiles(folder));

        var keyFile = Path.Combine(home, "key.txt");
        await File.WriteAllTextAsync(keyFile, $"# a comment\n{AgeIdentity.Generate().SecretText()}\n{identity.SecretText()}\n");
        var fromFile = await RunAsync(["secrets", "decrypt", file], new() { ["SOPS_AGE_KEY_FILE"] = keyFile });
        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(SopsFileTests.Values("s.yaml", plaintext), SopsFileTests.Values("s.yaml", fromFile.Output));
        Assert.Equal(fromFile.Output, (await RunAsync(["secrets", "decrypt", file], new() { ["SOPS_AGE_KEY"] = identity.SecretText() })).Output);
        var xdg = Directory.CreateDirectory(Path.Combine(home, "xdg", "sops", "age")).FullName;
        await File.WriteAllTextAsync(Path.Combine(xdg, "keys.txt"), identity.SecretText() + "\n");
        Assert.Equal(fromFile.Output, (await RunAsync(["secrets", "decrypt", file], new() { ["XDG_CONFIG_HOME"] = Path.Combine(home, "xdg") })).Output);
        var dotConfig = Directory.CreateDirectory(Path.Combine(home, ".config", "sops", "age")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dotConfig, "keys.txt"), identity.SecretText() + "\n");
        Assert.Equal(fromFile.Output, (await RunAsync(["secrets", "decrypt", file])).Output);

        var again = await RunAsync(["secrets", "encrypt", file]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("AlreadyEncrypted", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_a_tampered_value_and_no_key_fail_with_one_line_naming_the_file_and_no_value()
    {
        var identity = AgeIdentity.Generate();
        await File.WriteAllTextAsync(Path.Combine(repository, ".sops.yaml"), $"creation_rules:\n  - age: {identity.Recipient}\n");
        var file = Path.Combine(repository, "app.json");
        await File.WriteAllTextAsync(file, $$"""{"password": "{{Password}}"}""");
        Assert.Equal(0, (await RunAsync(["secrets", "encrypt", file])).ExitCode);

        var wrong = await RunAsync(["secrets", "decrypt", file], new() { ["SOPS_AGE_KEY"] = AgeIdentity.Generate().SecretText() });
        AssertFailure(wrong, 1, "NoMatchingKey", file);

        var encrypted = await File.ReadAllTextAsync(file);
        var at = encrypted.IndexOf("data:", StringComparison.Ordinal) + 5;
        await File.WriteAllTextAsync(file, encrypted[..at] + (encrypted[at] == 'A' ? 'B' : 'A') + encrypted[(at + 1)..]);
        AssertFailure(await RunAsync(["secrets", "decrypt", file], new() { ["SOPS_AGE_KEY"] = identity.SecretText() }), 1, "Tampered", file);

        AssertFailure(await RunAsync(["secrets", "decrypt", file]), 1, "NoMatchingKey", "keys.txt");
    }

    [Fact]
    public async Task Encrypt_without_a_sops_yaml_rule_is_refused_and_leaves_the_file_alone()
    {
        var file = Path.Combine(repository, "plain.yaml");
        await File.WriteAllTextAsync(file, $"password: {Password}\n");
        AssertFailure(await RunAsync(["secrets", "encrypt", file]), 2, "NoCreationRule", file);
        Assert.Equal($"password: {Password}\n", await File.ReadAllTextAsync(file));
        Assert.Equal(2, (await RunAsync(["secrets", "decrypt", Path.Combine(repository, "missing.yaml")])).ExitCode);
        Assert.Equal(2, (await RunAsync(["secrets", "nonsense"])).ExitCode);
    }

    private static void AssertFailure(ProcessResult result, int exitCode, string kind, string names)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(kind, line, StringComparison.Ordinal);
        Assert.Contains(names, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    /// <summary>The verb in a process of its own, its home and key variables under the test's control only.</summary>
    private Task<ProcessResult> RunAsync(string[] args, Dictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = null, ["SOPS_AGE_KEY"] = null, ["SOPS_AGE_KEY_FILE"] = null };
        foreach (var (key, value) in environment ?? [])
        {
            variables[key] = value;
        }

        return ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, .. args], repository, variables);
    }
}
