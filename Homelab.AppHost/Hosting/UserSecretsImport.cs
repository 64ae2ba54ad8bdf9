using Aspire.Hosting.ApplicationModel;
using Homelab.Secrets.Sops;

namespace Homelab.AppHost.Hosting;

/// <summary>
/// The one-command migration (<c>dotnet run --project Homelab.AppHost -- import-user-secrets</c>): the AppHost's secret
/// parameters, as it resolves them (user secrets, or generated now by the same defaults as a first run), written
/// encrypted to <see cref="EncryptedParameters.DefaultFile"/>. Prints names and files, never a value.
/// </summary>
internal static class UserSecretsImport
{
    /// <summary>The argument that runs the AppHost as the migration instead of starting it.</summary>
    public const string Command = "import-user-secrets";

    /// <summary>
    /// Writes <paramref name="file"/> encrypted to the recipients of the nearest <c>.sops.yaml</c>; when there is none,
    /// creates one at <paramref name="repositoryRoot"/> naming the user's own key. The names written, or the error.
    /// </summary>
    public static async Task<SopsResult<IReadOnlyList<string>>> WriteAsync(IEnumerable<ParameterResource> parameters, string file, string repositoryRoot, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters.Where(p => p.Secret))
        {
            values[parameter.Name] = await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
        }

        if (SopsConfigFile.Find(file) is null && CreateConfig(repositoryRoot, environment) is { } configError)
        {
            return new(null, configError with { File = file });
        }

        var rule = SopsConfigFile.CreationRuleFor(file);
        if (!rule.Succeeded)
        {
            return new(null, rule.Error);
        }

        var encrypted = SopsFile.Encrypt(file, EncryptedParameters.ToYaml(values), rule.Value!);
        if (!encrypted.Succeeded)
        {
            return new(null, encrypted.Error);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, encrypted.Value, cancellationToken).ConfigureAwait(false);
        return new([.. values.Keys], null);
    }

    /// <summary>A <c>.sops.yaml</c> naming the user's own key: the cluster's Secret manifests encrypt only data/stringData, as Flux users do.</summary>
    private static SopsError? CreateConfig(string repositoryRoot, Func<string, string?> environment)
    {
        var keys = SopsAgeKeys.Load(environment);
        if (!keys.Succeeded)
        {
            return keys.Error;
        }

        var recipient = keys.Value![0].Recipient.Text;
        File.WriteAllText(Path.Combine(repositoryRoot, SopsConfigFile.Name), $"""
            # The age recipients SOPS files in this repository are encrypted to (add a recipient, then re-encrypt).
            creation_rules:
              - path_regex: ^clusters/.*\.sops\.yaml$
                encrypted_regex: ^(data|stringData)$
                age: {recipient}
              - age: {recipient}

            """);
        return null;
    }
}
