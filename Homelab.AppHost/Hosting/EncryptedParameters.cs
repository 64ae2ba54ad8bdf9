using Homelab.Secrets.Sops;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Homelab.AppHost.Hosting;

/// <summary>
/// The AppHost's secret parameters kept encrypted in the repository (SOPS YAML, age recipients): one flat mapping of
/// parameter name to value, decrypted in memory with the user's age key, found as sops finds it.
/// </summary>
internal static class EncryptedParameters
{
    /// <summary>The setting naming the file (relative to the repository root, or absolute).</summary>
    public const string SettingKey = "Homelab:Secrets:File";

    /// <summary>Where the file lives by default, relative to the repository root.</summary>
    public const string DefaultFile = "secrets/homelab.sops.yaml";

    /// <summary>The configuration section Aspire resolves parameters from.</summary>
    public const string Section = "Parameters";

    /// <summary>Environment variables as sops reads them (SOPS_AGE_KEY_FILE, ...), a setting of the same name first (tests, command line).</summary>
    public static Func<string, string?> Environment(IConfiguration configuration) =>
        name => configuration[name] ?? System.Environment.GetEnvironmentVariable(name);

    /// <summary>Whether <paramref name="configuration"/> holds the decrypted file (it was found and decrypted).</summary>
    public static bool InUse(IConfiguration configuration) =>
        configuration is IConfigurationBuilder builder && builder.Sources.OfType<EncryptedParametersSource>().Any();

    /// <summary>The file's full path: the setting, relative to the repository holding the AppHost (its parent folder outside Git).</summary>
    public static string PathOf(IConfiguration configuration, string appHostDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var root = Reconciler.SourceRepository.Find(appHostDirectory)?.Root ?? Path.GetDirectoryName(Path.GetFullPath(appHostDirectory))!;
        return Path.GetFullPath(configuration[SettingKey] is { Length: > 0 } given ? given : DefaultFile, root);
    }

    /// <summary>
    /// Reads <paramref name="file"/> with the age identities <paramref name="environment"/> leads to. Absent file, or no
    /// key at all: skipped with the reason. A key that is set but unusable, or a file that does not decrypt: the error.
    /// </summary>
    public static EncryptedParametersLoad Load(string file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!File.Exists(file))
        {
            return new(null, $"{file} does not exist; parameters come from user secrets", null);
        }

        var keys = SopsAgeKeys.Load(environment);
        if (!keys.Succeeded)
        {
            // Nothing set and no keys file: a user who has not migrated yet. A source that is set but broken is an error.
            var nothingSet = string.IsNullOrEmpty(environment(SopsAgeKeys.KeyFileVariable)) && string.IsNullOrEmpty(environment(SopsAgeKeys.KeyVariable))
                && !File.Exists(SopsAgeKeys.DefaultFile(environment));
            return nothingSet
                ? new(null, $"{file} not used: no age key ({SopsAgeKeys.KeyFileVariable}, {SopsAgeKeys.KeyVariable} or {SopsAgeKeys.DefaultFile(environment)}); parameters come from user secrets", null)
                : new(null, null, keys.Error);
        }

        var decrypted = SopsFile.Decrypt(file, File.ReadAllText(file), keys.Value!);
        if (!decrypted.Succeeded)
        {
            return new(null, null, decrypted.Error);
        }

        var values = Parse(decrypted.Value!);
        return values is null
            ? new(null, null, new SopsError(SopsErrorKind.Malformed, file, "not a flat mapping of parameter names to text values"))
            : new(values, null, null, keys.Value);
    }

    /// <summary>The plaintext YAML of <paramref name="values"/>: a flat mapping, multi-line values (PEM) as literal blocks.</summary>
    public static string ToYaml(IEnumerable<KeyValuePair<string, string>> values)
    {
        var mapping = new YamlMappingNode();
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            mapping.Add(new YamlScalarNode(name), new YamlScalarNode(value) { Style = value.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted });
        }

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(mapping)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlDotNet ends a document with "...": a plain file has no document markers.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>The values of a decrypted file; null when it is not a flat mapping of text values.</summary>
    public static Dictionary<string, string>? Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || value is not YamlScalarNode { Value: { } text })
            {
                return null;
            }

            values[name] = text;
        }

        return values;
    }
}
