using System.Text.RegularExpressions;
using Homelab.Secrets.Age;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Homelab.Secrets.Sops;

/// <summary>
/// <c>.sops.yaml</c> as the sops CLI reads it for a new file: the nearest one in the file's folder or above, its first
/// <c>creation_rules</c> entry whose <c>path_regex</c> matches the file's path relative to the config's folder (an entry
/// without one matches every file). Only age recipients are supported.
/// </summary>
public static class SopsConfigFile
{
    public const string Name = ".sops.yaml";

    private static readonly string[] OtherKeyTypes = ["pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri", "hckms"];

    /// <summary>The nearest <c>.sops.yaml</c> at or above <paramref name="file"/>'s folder, or null.</summary>
    public static string? Find(string file)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(file)); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, Name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The creation rule for <paramref name="file"/> from the nearest <c>.sops.yaml</c>.</summary>
    public static SopsResult<SopsCreationRule> CreationRuleFor(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var config = Find(file);
        if (config is null)
        {
            return Fail(file, SopsErrorKind.NoCreationRule, $"no {Name} in its folder or above: create one with creation_rules naming age recipients");
        }

        try
        {
            var relative = Path.GetRelativePath(Path.GetDirectoryName(config)!, Path.GetFullPath(file)).Replace('\\', '/');
            return new SopsResult<SopsCreationRule>(Parse(File.ReadAllText(config), relative), null);
        }
        catch (SopsException ex)
        {
            return Fail(file, ex.Kind, $"{config}: {ex.Message}");
        }
    }

    /// <summary>The first rule of the config <paramref name="text"/> that applies to <paramref name="relativePath"/>.</summary>
    internal static SopsCreationRule Parse(string text, string relativePath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new SopsException(SopsErrorKind.NoCreationRule, $"invalid YAML at line {ex.Start.Line}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("creation_rules"), out var rulesNode) || rulesNode is not YamlSequenceNode rules)
        {
            throw new SopsException(SopsErrorKind.NoCreationRule, "no creation_rules list");
        }

        foreach (var node in rules.Children.OfType<YamlMappingNode>())
        {
            var pattern = Text(node, "path_regex");
            if (!string.IsNullOrEmpty(pattern) && !Matches(pattern, relativePath))
            {
                continue;
            }

            return Rule(node);
        }

        throw new SopsException(SopsErrorKind.NoCreationRule, $"no creation rule matches {relativePath}");
    }

    private static SopsCreationRule Rule(YamlMappingNode node)
    {
        var recipients = Strings(node, "age");
        if (node.Children.TryGetValue(new YamlScalarNode("key_groups"), out var groups) && groups is YamlSequenceNode { Children.Count: > 0 } groupList)
        {
            if (groupList.Children.Count > 1 || groupList.Children[0] is not YamlMappingNode group)
            {
                throw new SopsException(SopsErrorKind.Unsupported, "more than one key group (Shamir secret sharing) is not supported");
            }

            recipients = [.. recipients, .. Strings(group, "age")];
            Refuse(group);
        }

        Refuse(node);
        var parsed = new List<AgeRecipient>();
        foreach (var text in recipients)
        {
            if (!AgeRecipient.TryParse(text, out var recipient, out var error))
            {
                throw new SopsException(error!.Kind == AgeErrorKind.Unsupported ? SopsErrorKind.Unsupported : SopsErrorKind.NoCreationRule, error.Message);
            }

            parsed.Add(recipient!);
        }

        if (parsed.Count == 0)
        {
            throw new SopsException(SopsErrorKind.NoCreationRule, "the matching creation rule names no age recipient");
        }

        var rules = new SopsRules(Text(node, "unencrypted_suffix"), Text(node, "encrypted_suffix"), Text(node, "unencrypted_regex"), Text(node, "encrypted_regex"),
            Text(node, "mac_only_encrypted") is "true" or "True");
        return new SopsCreationRule(parsed, rules.Normalized());
    }

    /// <summary>A rule that also names keys of another kind is refused: encrypting to its age keys only would lock the others out.</summary>
    private static void Refuse(YamlMappingNode node)
    {
        foreach (var type in OtherKeyTypes)
        {
            if (Strings(node, type).Count > 0)
            {
                throw new SopsException(SopsErrorKind.Unsupported, $"the matching creation rule names {type} keys; only age is supported");
            }
        }

        if (Text(node, "unencrypted_comment_regex") is { Length: > 0 } || Text(node, "encrypted_comment_regex") is { Length: > 0 })
        {
            throw new SopsException(SopsErrorKind.Unsupported, "unencrypted_comment_regex and encrypted_comment_regex are not supported");
        }
    }

    private static bool Matches(string pattern, string path)
    {
        try
        {
            return Regex.IsMatch(path, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw new SopsException(SopsErrorKind.NoCreationRule, $"path_regex '{pattern}' is not a valid regular expression");
        }
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>A key's values: a comma-separated string or a list, as sops accepts both.</summary>
    private static List<string> Strings(YamlMappingNode node, string key) =>
        !node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? []
        : value is YamlSequenceNode list ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).Where(s => s.Trim().Length > 0).Select(s => s.Trim())]
        : value is YamlScalarNode { Value: { } text } ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
        : [];

    private static SopsResult<SopsCreationRule> Fail(string file, SopsErrorKind kind, string message) => new(null, new SopsError(kind, file, message));
}
