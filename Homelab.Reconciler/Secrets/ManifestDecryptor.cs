using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Secrets;

/// <summary>
/// Builds a revision with its SOPS files decrypted in memory as they are read (<see cref="SopsContentFilter"/>), so a
/// kustomization's transformers (<c>namespace</c>, labels, <c>namePrefix</c>) and <c>secretGenerator</c> see plaintext; what
/// is applied holds no <c>sops</c> field. One file that cannot be decrypted fails the whole build with a
/// <see cref="FileContentException"/> naming it, so nothing of the revision is applied. Secrets committed in plaintext get
/// one warning per object and revision.
/// </summary>
/// <param name="keys">The age identities, read when a revision holds an encrypted file.</param>
/// <param name="logger">Where the plaintext warnings go.</param>
internal sealed class ManifestDecryptor(Func<SopsResult<IReadOnlyList<AgeIdentity>>> keys, ILogger logger)
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private string? _warnedRevision;

    /// <summary>The objects of <paramref name="path"/> at <paramref name="revision"/>, as they are applied, and how many files were decrypted.</summary>
    /// <exception cref="FileContentException">An encrypted file could not be decrypted (or no key was found).</exception>
    /// <exception cref="BuildException">The tree does not build.</exception>
    public (IReadOnlyList<RenderedObject> Objects, int DecryptedFiles) Render(KustomizeBuilder builder, string repositoryRoot, string path, string revision)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var filter = new SopsContentFilter(keys, builder.Limits);
        var rendered = builder.Render(repositoryRoot, path, filter);
        if (_warnedRevision != revision)
        {
            _warnedRevision = revision;
            _warned.Clear();
        }

        foreach (var (content, origin) in rendered.Where(r => !filter.DecryptedOrigins.Contains(r.Origin)))
        {
            WarnIfPlaintextSecret(content, origin);
        }

        return (rendered, filter.DecryptedFiles);
    }

    private void WarnIfPlaintextSecret(JsonObject content, string origin)
    {
        if ((string?)content["kind"] != "Secret" || (string?)content["apiVersion"] != "v1"
            || !(content["data"] is JsonObject { Count: > 0 } || content["stringData"] is JsonObject { Count: > 0 }))
        {
            return;
        }

        var name = content["metadata"] is JsonObject metadata
            ? (string?)metadata["namespace"] is { Length: > 0 } ns ? $"{ns}/{metadata["name"]}" : $"{metadata["name"]}"
            : "(no metadata)";
        if (_warned.Add(name))
        {
            logger.LogWarning("Secret {Secret} is committed in plaintext: encrypt it with `Homelab.Reconciler secrets encrypt {File}`", name, origin);
        }
    }
}
