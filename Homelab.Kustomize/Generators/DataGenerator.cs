using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>Builds the objects of <c>configMapGenerator</c> and <c>secretGenerator</c> entries.</summary>
internal sealed class DataGenerator(KustomizationFile kustomization, RepositoryFiles files)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Generates every entry of <paramref name="field"/> ("configMapGenerator" or "secretGenerator").</summary>
    public IEnumerable<GeneratedResource> Generate(string field)
    {
        var global = kustomization.Content["generatorOptions"] is { } g ? kustomization.Object(g, "generatorOptions") : null;
        if (global is not null)
        {
            kustomization.CheckFields(global, "generatorOptions", "disableNameSuffixHash", "labels", "annotations", "immutable");
        }
        var entries = kustomization.List(field);
        for (var i = 0; i < entries.Count; i++)
        {
            yield return GenerateOne(field, $"{field}[{i}]", kustomization.Object(entries[i], $"{field}[{i}]"), global);
        }
    }

    private GeneratedResource GenerateOne(string kindField, string field, JsonObject entry, JsonObject? global)
    {
        var isSecret = kindField == "secretGenerator";
        kustomization.CheckFields(entry, field, isSecret
            ? ["name", "namespace", "behavior", "literals", "files", "envs", "env", "options", "type"]
            : ["name", "namespace", "behavior", "literals", "files", "envs", "env", "options"]);
        var name = kustomization.StringOf(entry["name"], $"{field}.name");
        if (string.IsNullOrEmpty(name))
        {
            throw new BuildException(kustomization.File, $"{field}.name", "a generator needs a name");
        }
        var behavior = kustomization.StringOf(entry["behavior"], $"{field}.behavior") ?? "create";
        if (behavior is not ("create" or "merge" or "replace"))
        {
            throw new BuildException(kustomization.File, $"{field}.behavior", $"unknown behavior '{behavior}' (create, merge or replace)");
        }

        var text = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var binary = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        void Add(string key, string subField, byte[]? bytes, string? value)
        {
            if (text.ContainsKey(key) || binary.ContainsKey(key))
            {
                throw new BuildException(kustomization.File, subField, $"key '{key}' is already in {name}");
            }
            if (value is not null)
            {
                text[key] = value;
            }
            else
            {
                binary[key] = bytes!;
            }
        }

        foreach (var (literal, index) in StringList(entry, field, "literals"))
        {
            var eq = literal.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new BuildException(kustomization.File, $"{field}.literals[{index}]", $"invalid literal '{literal}', expected key=value");
            }
            Add(literal[..eq], $"{field}.literals[{index}]", null, Unquote(literal[(eq + 1)..]));
        }
        foreach (var (source, index) in StringList(entry, field, "files"))
        {
            var subField = $"{field}.files[{index}]";
            var eq = source.IndexOf('=', StringComparison.Ordinal);
            var path = eq >= 0 ? source[(eq + 1)..] : source;
            var relative = files.Resolve(kustomization.File, kustomization.Directory, path, subField);
            if (!files.IsFile(relative))
            {
                throw new BuildException(kustomization.File, subField, $"file '{path}' not found");
            }
            var key = eq >= 0 ? source[..eq] : Path.GetFileName(relative);
            var bytes = files.ReadFiltered(relative, isSecret ? FileRole.SecretGeneratorFile : FileRole.ConfigMapGeneratorFile, kustomization.File);
            // Text goes to data; anything that is not UTF-8 goes to binaryData (ConfigMap) as kustomize does.
            string? asText = null;
            try
            {
                asText = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                if (isSecret)
                {
                    Add(key, subField, bytes, null);
                    continue;
                }
            }
            Add(key, subField, asText is null ? bytes : null, asText);
        }
        var envs = StringList(entry, field, "envs").ToList();
        if (kustomization.StringOf(entry["env"], $"{field}.env") is { } single)
        {
            envs.Add((single, -1));
        }
        foreach (var (path, index) in envs)
        {
            var subField = index < 0 ? $"{field}.env" : $"{field}.envs[{index}]";
            var relative = files.Resolve(kustomization.File, kustomization.Directory, path, subField);
            var content = RepositoryFiles.DecodeText(relative, files.ReadFiltered(relative, isSecret ? FileRole.SecretGeneratorEnv : FileRole.ConfigMapGeneratorEnv, kustomization.File));
            foreach (var rawLine in content.Split('\n'))
            {
                var line = rawLine.TrimEnd('\r').TrimStart();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                var key = eq >= 0 ? line[..eq] : line;
                if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                {
                    throw new BuildException(relative, null, $"invalid env line '{line}'");
                }
                Add(key, subField, null, eq >= 0 ? line[(eq + 1)..] : "");
            }
        }

        var options = entry["options"] is { } o ? kustomization.Object(o, $"{field}.options") : null;
        if (options is not null)
        {
            kustomization.CheckFields(options, $"{field}.options", "disableNameSuffixHash", "labels", "annotations", "immutable");
        }
        var metadata = new JsonObject { ["name"] = name };
        if (kustomization.StringOf(entry["namespace"], $"{field}.namespace") is { Length: > 0 } ns)
        {
            metadata["namespace"] = ns;
        }
        var labels = Merge(global?["labels"], options?["labels"], "labels", field);
        var annotations = Merge(global?["annotations"], options?["annotations"], "annotations", field);
        if (labels.Count > 0)
        {
            metadata["labels"] = ToObject(labels);
        }
        if (annotations.Count > 0)
        {
            metadata["annotations"] = ToObject(annotations);
        }

        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = isSecret ? "Secret" : "ConfigMap", ["metadata"] = metadata };
        if (isSecret)
        {
            var data = new JsonObject();
            foreach (var (k, v) in text)
            {
                data[k] = SecretBase64(Encoding.UTF8.GetBytes(v));
            }
            foreach (var (k, v) in binary)
            {
                data[k] = SecretBase64(v);
            }
            obj["data"] = data;
            obj["type"] = kustomization.StringOf(entry["type"], $"{field}.type") ?? "Opaque";
        }
        else
        {
            if (text.Count > 0)
            {
                obj["data"] = ToObject(text);
            }
            if (binary.Count > 0)
            {
                obj["binaryData"] = ToObject(binary.ToDictionary(p => p.Key, p => Convert.ToBase64String(p.Value), StringComparer.Ordinal));
            }
        }
        if (Flag(options, global, "immutable"))
        {
            obj["immutable"] = true;
        }
        var resource = new Resource(obj, kustomization.File, kustomization.Directory) { NeedsHashSuffix = !Flag(options, global, "disableNameSuffixHash") };
        return new GeneratedResource(resource, behavior, field);
    }

    private IEnumerable<(string Value, int Index)> StringList(JsonObject entry, string field, string name) =>
        entry[name] switch
        {
            null => [],
            JsonArray a => a.Select((n, i) => (kustomization.StringOf(n, $"{field}.{name}[{i}]") ?? "", i)),
            _ => throw new BuildException(kustomization.File, $"{field}.{name}", "must be a list"),
        };

    private bool Flag(JsonObject? options, JsonObject? global, string name)
    {
        // An entry's own option wins; otherwise generatorOptions applies.
        var node = options?[name] ?? global?[name];
        return node is JsonValue v && v.TryGetValue<bool>(out var b) ? b
            : node is null ? false
            : throw new BuildException(kustomization.File, name, "must be true or false");
    }

    private Dictionary<string, string> Merge(JsonNode? global, JsonNode? local, string name, string field)
    {
        var result = kustomization.StringMap(global, $"generatorOptions.{name}");
        foreach (var (k, v) in kustomization.StringMap(local, $"{field}.options.{name}"))
        {
            result[k] = v;
        }
        return result;
    }

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in pairs)
        {
            obj[k] = v;
        }
        return obj;
    }

    /// <summary>
    /// Base64 as kustomize writes generated Secret data (it feeds the name hash, so it must match): once the
    /// encoding reaches 70 characters it is cut into lines of 70, each ending in a newline.
    /// </summary>
    internal static string SecretBase64(byte[] bytes)
    {
        const int LineLength = 70;
        var encoded = Convert.ToBase64String(bytes);
        if (encoded.Length < LineLength)
        {
            return encoded;
        }
        var lines = new StringBuilder(encoded.Length + (encoded.Length / LineLength) + 1);
        for (var i = 0; i < encoded.Length; i += LineLength)
        {
            lines.Append(encoded, i, Math.Min(LineLength, encoded.Length - i)).Append('\n');
        }
        return lines.ToString();
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == value[^1] && (value[0] == '"' || value[0] == '\'') ? value[1..^1] : value;
}
