using System.CommandLine;
using System.Globalization;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Reconciler.Secrets;

/// <summary>
/// <c>secrets encrypt|decrypt|keygen</c>: SOPS files with age keys, as the sops CLI and age-keygen do them. Exit 0 ok,
/// 1 failed (no key, tampered, bad MAC, malformed), 2 refused or usage; errors are one line naming the file, never a value.
/// </summary>
internal static class SecretsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var secrets = new Command("secrets", "Encrypt and decrypt SOPS files (YAML, JSON, dotenv) with age keys; make an age key.");

        var encryptFile = new Argument<string>("FILE") { Description = "The plaintext .yaml, .yml, .json or .env file, encrypted in place to the recipients of the nearest .sops.yaml creation rule." };
        var encrypt = new Command("encrypt", "Encrypt FILE in place, with the recipients and rules of the nearest .sops.yaml's first matching creation_rules entry.") { encryptFile };
        encrypt.SetAction(parse => Run(error, () => Encrypt(parse.GetValue(encryptFile)!, error)));
        secrets.Subcommands.Add(encrypt);

        var decryptFile = new Argument<string>("FILE") { Description = "The SOPS-encrypted file." };
        var decrypt = new Command("decrypt", $"Decrypt FILE to stdout, with the age keys of {SopsAgeKeys.KeyFileVariable}, {SopsAgeKeys.KeyVariable} and ~/.config/sops/age/keys.txt.") { decryptFile };
        decrypt.SetAction(parse => Run(error, () => Decrypt(parse.GetValue(decryptFile)!, output, error)));
        secrets.Subcommands.Add(decrypt);

        var outputFile = new Option<string?>("-o", "--output") { Description = "Write the identity to this new file (mode 0600) instead of stdout." };
        var keygen = new Command("keygen", "Make an age identity (AGE-SECRET-KEY-1…) as age-keygen does; its public key goes to stderr as \"Public key: age1…\".") { outputFile };
        keygen.SetAction(parse => Run(error, () => Keygen(parse.GetValue(outputFile), output, error)));
        secrets.Subcommands.Add(keygen);
        return secrets;
    }

    private static async Task<int> Encrypt(string file, TextWriter error)
    {
        if (!File.Exists(file))
        {
            return await Fail(error, $"{file}: no such file", 2).ConfigureAwait(false);
        }

        var rule = SopsConfigFile.CreationRuleFor(file);
        if (!rule.Succeeded)
        {
            return await Fail(error, rule.Error!).ConfigureAwait(false);
        }

        var text = await File.ReadAllTextAsync(file).ConfigureAwait(false);
        var result = SopsFile.Encrypt(file, text, rule.Value!);
        if (!result.Succeeded)
        {
            return await Fail(error, result.Error!).ConfigureAwait(false);
        }

        // Written beside it and renamed over it: the file is whole plaintext or whole ciphertext, never half of each.
        SopsFileReplacement.Replace(file, result.Value!);
        await error.WriteLineAsync($"encrypted {file} to {string.Join(", ", rule.Value!.Recipients)}").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Decrypt(string file, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            return await Fail(error, $"{file}: no such file", 2).ConfigureAwait(false);
        }

        var identities = SopsAgeKeys.Load(Environment.GetEnvironmentVariable);
        if (!identities.Succeeded)
        {
            return await Fail(error, identities.Error!).ConfigureAwait(false);
        }

        var result = SopsFile.Decrypt(file, await File.ReadAllTextAsync(file).ConfigureAwait(false), identities.Value!);
        if (!result.Succeeded)
        {
            return await Fail(error, result.Error!).ConfigureAwait(false);
        }

        // The one place a value leaves memory: the user asked for it on stdout.
        await output.WriteAsync(result.Value).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Keygen(string? file, TextWriter output, TextWriter error)
    {
        var identity = AgeIdentity.Generate();
        var text = $"# created: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n# public key: {identity.Recipient}\n{identity.SecretText()}\n";
        if (file is null)
        {
            await output.WriteAsync(text).ConfigureAwait(false);
        }
        else
        {
            if (File.Exists(file))
            {
                return await Fail(error, $"{file}: exists; not overwriting an identity", 2).ConfigureAwait(false);
            }

            // The folder sops looks in (~/.config/sops/age) usually does not exist yet: made private, as the key is.
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder && !Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            // Created 0600: the secret is never readable by others, not even for a moment.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var stream = new FileStream(file, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(text).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"Public key: {identity.Recipient}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Refusals (unsupported, already encrypted, no rule) are exit 2; failures to decrypt or parse are exit 1.</summary>
    private static Task<int> Fail(TextWriter error, SopsError problem) =>
        Fail(error, problem.ToString(), problem.Kind is SopsErrorKind.Unsupported or SopsErrorKind.AlreadyEncrypted or SopsErrorKind.NoCreationRule ? 2 : 1);

    private static async Task<int> Fail(TextWriter error, string message, int code)
    {
        await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return code;
    }

    /// <summary>File system errors (a folder not writable, a file vanished) are one line and exit 1, never a stack trace.</summary>
    private static async Task<int> Run(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await Fail(error, ex.Message, 1).ConfigureAwait(false);
        }
    }
}
