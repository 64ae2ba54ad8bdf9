using System.Text.RegularExpressions;
using Homelab.Kustomize;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Tells which strings a YAML reader would take for something else when written plain: YAML 1.1 readers
/// (go-yaml v2, PyYAML, many Helm charts' tooling) and YAML 1.2 ones (go-yaml v3, kubectl) disagree, so a
/// string is quoted when either would read a bool, null, number or timestamp, or a merge/value key.
/// </summary>
internal static partial class AmbiguousScalars
{
    /// <summary>True when <paramref name="text"/> must be quoted to stay a string.</summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0
        || Yaml11Or12Word().IsMatch(text)
        || Number().IsMatch(text)
        || Sexagesimal().IsMatch(text)
        || Timestamp().IsMatch(text)
        || YamlToJson.ResolvePlain(text) is not string resolved
        || resolved != text;

    [GeneratedRegex("^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=)$")]
    private static partial Regex Yaml11Or12Word();

    // Integers and floats of both versions, underscores, base prefixes and .inf/.nan included.
    [GeneratedRegex(@"^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Number();

    // YAML 1.1 base-60 numbers: 1:20, 190:20:30.15.
    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Sexagesimal();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$")]
    private static partial Regex Timestamp();
}
