using Homelab.AppHost.Hosting;
using Homelab.Defaults;
using Homelab.Navidrome;
using Homelab.Secrets.Sops;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The cluster's Secrets (<see cref="ClusterSecrets"/>) as SOPS-encrypted manifests, when the parameters are kept
/// encrypted: standard v1 Secrets with only <c>data</c>/<c>stringData</c> encrypted (as Flux users do), to the
/// recipients of the repository's <c>.sops.yaml</c>, so <c>bootstrap</c> needs only the age key.
/// </summary>
internal static class EncryptedClusterSecrets
{
    /// <summary>Only the values: the reconciler and kustomize read the rest in the clear.</summary>
    public const string EncryptedRegex = "^(data|stringData)$";

    /// <summary>The folder of the published tree each namespace's objects live in.</summary>
    private static readonly Dictionary<string, string> Folders = new(StringComparer.Ordinal)
    {
        [PublishSettings.AppsNamespace] = "apps",
        [PublishSettings.SystemNamespace] = "homelab-system",
    };

    /// <summary>
    /// Adds <c>&lt;folder&gt;/secret-&lt;name&gt;.sops.yaml</c> to <paramref name="files"/> and lists it in the folder's
    /// kustomization. A file already in <paramref name="output"/> that decrypts to the same Secret is kept byte for byte
    /// (SOPS output differs every time: new IVs and data key), so an unchanged publish changes nothing in Git.
    /// </summary>
    public static SopsError? Add(IDictionary<string, string> files, string output, Func<string, string?> parameter, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(parameter);
        var identities = SopsAgeKeys.Load(environment).Value ?? [];
        foreach (var (name, ns, keys) in ClusterSecrets.All)
        {
            var relative = $"{Folders[ns]}/secret-{name}.sops.yaml";
            var path = Path.Combine(output, relative);
            var data = new List<(string Key, string Value)>();
            foreach (var (key, parameterName) in keys)
            {
                if (parameter(parameterName) is not { Length: > 0 } value)
                {
                    return new SopsError(SopsErrorKind.Malformed, path, $"Parameters:{parameterName} has no value: run the AppHost once (it generates it) or import-user-secrets");
                }

                data.Add((key, value));
            }

            if (name == FirstAdminSecret.Name)
            {
                data.Add((FirstAdminSecret.UserKey, NavidromeApi.DefaultAdminUser));
            }

            var rule = SopsConfigFile.CreationRuleFor(path);
            if (!rule.Succeeded)
            {
                return rule.Error;
            }

            var encrypted = SopsFile.Encrypt(path, Manifest(name, ns, data), rule.Value! with { Rules = new SopsRules(EncryptedRegex: EncryptedRegex) });
            if (!encrypted.Succeeded)
            {
                return encrypted.Error;
            }

            files[relative] = Unchanged(path, encrypted.Value!, identities) ? File.ReadAllText(path) : encrypted.Value!;
            var kustomization = $"{Folders[ns]}/kustomization.yaml";
            files[kustomization] = files[kustomization].TrimEnd('\n') + $"\n- secret-{name}.sops.yaml\n";
        }

        return null;
    }

    /// <summary>Whether the file on disk decrypts to the same plaintext as the new encryption (both with the user's key).</summary>
    private static bool Unchanged(string path, string encrypted, IReadOnlyList<Secrets.Age.AgeIdentity> identities)
    {
        if (!File.Exists(path) || identities.Count == 0)
        {
            return false;
        }

        var before = SopsFile.Decrypt(path, File.ReadAllText(path), identities);
        var after = SopsFile.Decrypt(path, encrypted, identities);
        return before.Succeeded && after.Succeeded && before.Value == after.Value;
    }

    private static string Manifest(string name, string ns, List<(string Key, string Value)> data)
    {
        var stringData = new YamlMappingNode();
        foreach (var (key, value) in data)
        {
            stringData.Add(new YamlScalarNode(key), new YamlScalarNode(value) { Style = value.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted });
        }

        var secret = new YamlMappingNode
        {
            { "apiVersion", "v1" },
            { "kind", "Secret" },
            { "metadata", new YamlMappingNode { { "name", name }, { "namespace", ns } } },
            { "type", "Opaque" },
            { "stringData", stringData },
        };
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(secret)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
