namespace Homelab.Kustomize;

/// <summary>
/// Sees the bytes of every resource file and every generator source as the builder reads them, before kustomize does
/// anything with them, and may replace them (a caller decrypts SOPS files here, so transformers see plaintext objects) or
/// refuse them. Kustomization files, patches and transformer configs are not filtered.
/// </summary>
/// <remarks>
/// The builder checks <see cref="BuildLimits.MaxFileBytes"/> before the filter (on the file) and after it (on what it
/// returns). A refusal fails the build with a <see cref="FileContentException"/> naming the file.
/// </remarks>
public interface IFileContentFilter
{
    /// <summary>What the builder should read for <paramref name="path"/> in place of <paramref name="content"/>.</summary>
    /// <param name="path">The file, relative to the repository root, with '/' separators.</param>
    /// <param name="role">What the file is read for.</param>
    /// <param name="referencedBy">
    /// The kustomization (or plain folder) that lists it; for a generator source, the kustomization whose generator uses it,
    /// which is the generated object's <see cref="RenderedObject.Origin"/>.
    /// </param>
    /// <param name="content">The file's bytes as on disk.</param>
    FileContentResult Filter(string path, FileRole role, string referencedBy, ReadOnlyMemory<byte> content);
}
