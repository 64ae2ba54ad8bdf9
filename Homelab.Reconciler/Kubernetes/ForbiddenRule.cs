using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// The RBAC rule an API server's Forbidden answer says is missing: who asked, for what verb on what resource,
/// where. Parsed in this one place from the authorizer's message, whose wording is fixed by the apiserver
/// (<c>User "u" cannot patch resource "configmaps" in API group "" in the namespace "homelab"</c>).
/// </summary>
/// <param name="User">The user or ServiceAccount refused, e.g. system:serviceaccount:homelab-system:homelab-reconciler.</param>
/// <param name="Verb">The verb refused (get, list, create, patch, delete, …).</param>
/// <param name="Resource">The resource, with its sub-resource when there is one ("deployments/scale"); null for a path.</param>
/// <param name="ApiGroup">The API group ("" for core); null for a path.</param>
/// <param name="Namespace">The namespace; null at the cluster scope.</param>
/// <param name="NonResourcePath">The URL path of a non-resource request ("/apis"), else null.</param>
/// <param name="Detail">What the authorizer added after the rule (e.g. a role that does not exist), else null.</param>
public sealed partial record ForbiddenRule(string User, string Verb, string? Resource, string? ApiGroup, string? Namespace, string? NonResourcePath, string? Detail)
{
    /// <summary>The rule missing from a Forbidden Status object; null when it is not an RBAC refusal (admission, quota).</summary>
    public static ForbiddenRule? Parse(JsonObject status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status["code"] is not JsonValue code || !code.TryGetValue<int>(out var number) || number != 403
            || status["message"] is not JsonValue text || !text.TryGetValue<string>(out var message))
        {
            return null;
        }

        if (ResourceRule().Match(message) is { Success: true } resource)
        {
            return new ForbiddenRule(
                resource.Groups["user"].Value,
                resource.Groups["verb"].Value,
                resource.Groups["resource"].Value,
                resource.Groups["group"].Value,
                resource.Groups["namespace"].Success ? resource.Groups["namespace"].Value : null,
                null,
                DetailOf(resource));
        }

        return PathRule().Match(message) is { Success: true } path
            ? new ForbiddenRule(path.Groups["user"].Value, path.Groups["verb"].Value, null, null, null, path.Groups["path"].Value, DetailOf(path))
            : null;
    }

    /// <summary>
    /// One line a user can act on: who may not do what where, and the ClusterRole rule that would allow it
    /// (the published ClusterRole is bound cluster-wide, so a ClusterRole rule is what to add).
    /// </summary>
    public override string ToString()
    {
        var what = NonResourcePath is not null
            ? $"{Verb} path {NonResourcePath} (needs a ClusterRole rule: nonResourceURLs [\"{NonResourcePath}\"], verbs [\"{Verb}\"])"
            : $"{Verb} {Resource} {(Namespace is null ? "at the cluster scope" : $"in namespace {Namespace}")} (needs a ClusterRole rule: apiGroups [\"{ApiGroup}\"], resources [\"{Resource}\"], verbs [\"{Verb}\"])";
        return $"forbidden: {User} may not {what}{(Detail is null ? string.Empty : $"; {Detail}")}";
    }

    private static string? DetailOf(Match match) =>
        match.Groups["detail"] is { Success: true, Value.Length: > 0 } detail ? detail.Value : null;

    // k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go: forbiddenMessage, then ": " + the authorizer's reason.
    [GeneratedRegex("""User "(?<user>[^"]*)" cannot (?<verb>\S+) resource "(?<resource>[^"]*)" in API group "(?<group>[^"]*)"(?: in the namespace "(?<namespace>[^"]*)"| at the cluster scope)(?:: (?<detail>.*))?$""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ResourceRule();

    [GeneratedRegex("""User "(?<user>[^"]*)" cannot (?<verb>\S+) path "(?<path>[^"]*)"(?:: (?<detail>.*))?$""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex PathRule();
}
