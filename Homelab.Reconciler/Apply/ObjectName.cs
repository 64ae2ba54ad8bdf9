using System.Text.RegularExpressions;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>Kubernetes name rules, checked before any request: a bad name is a clear error, not a half-applied revision.</summary>
public static partial class ObjectName
{
    /// <summary>Null when valid; otherwise why not.</summary>
    public static string? Validate(ObjectReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.ApiVersion.Length == 0 || reference.Kind.Length == 0)
        {
            return "apiVersion and kind are required";
        }

        if (!IsSubdomain(reference.Name))
        {
            return $"name \"{reference.Name}\" is not a valid Kubernetes name (lowercase letters, digits, '-' and '.', at most 253, starting and ending alphanumeric)";
        }

        return reference.Namespace is { } ns && !Label().IsMatch(ns)
            ? $"namespace \"{ns}\" is not a valid Kubernetes namespace name"
            : null;
    }

    public static bool IsSubdomain(string name) => name.Length is > 0 and <= 253 && Subdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();
}
