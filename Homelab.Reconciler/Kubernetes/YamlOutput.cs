using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Writes objects as multi-document YAML, the way <c>kubectl kustomize</c> prints them, keeping every
/// value's type: a string that a YAML 1.1 or 1.2 reader would take for a bool, null, number or timestamp is
/// quoted, so <c>build | kubectl apply -f -</c> sends the cluster exactly what <c>reconcile</c> applies.
/// </summary>
public static class YamlOutput
{
    public static string Write(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        foreach (var manifest in objects)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: true));
            Emit(emitter, manifest);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case null:
                emitter.Emit(new Scalar("null"));
                break;
            default:
                switch (node.GetValueKind())
                {
                    case JsonValueKind.String:
                        EmitString(emitter, node.GetValue<string>());
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        emitter.Emit(new Scalar(node.GetValue<bool>() ? "true" : "false"));
                        break;
                    default:
                        emitter.Emit(new Scalar(node.ToJsonString()));
                        break;
                }
                break;
        }
    }

    /// <summary>Multi-line text as a literal block where YAML allows one; ambiguous words double-quoted.</summary>
    private static void EmitString(IEmitter emitter, string value)
    {
        var style = value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : AmbiguousScalars.NeedsQuotes(value) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, value, style, isPlainImplicit: style == ScalarStyle.Any, isQuotedImplicit: true));
    }
}
