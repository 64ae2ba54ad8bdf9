using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Renders a folder of a repository the way <c>kubectl kustomize</c> (kustomize v5.5) does, for the
/// subset of kustomization features the homelab uses. Anything outside that subset is an error,
/// never silently ignored.
/// </summary>
/// <remarks>
/// A rendered folder without a kustomization file behaves as in Flux, which generates one: every
/// <c>*.yaml</c>/<c>*.yml</c> file in it and its sub-folders, walked in byte order, where a sub-folder
/// holding a kustomization is built as one and not walked further. Folders named in <c>resources</c>
/// must have a kustomization, as kustomize requires.
/// </remarks>
/// <param name="limits">Size, alias and nesting caps.</param>
public sealed class KustomizeBuilder(BuildLimits limits)
{
    /// <summary>The caps this builder renders under (a content filter that reads YAML itself keeps to them too).</summary>
    public BuildLimits Limits => limits;

    /// <summary>
    /// Renders <paramref name="path"/> (a folder relative to <paramref name="repositoryRoot"/>) and returns
    /// the objects in kustomize's output order.
    /// </summary>
    /// <param name="repositoryRoot">Absolute path of the checkout; nothing outside it is ever read.</param>
    /// <param name="path">Folder relative to the root, e.g. <c>clusters/my-laptop</c>.</param>
    /// <param name="contentFilter">
    /// Sees every resource file and generator source as it is read and may replace or refuse it (e.g. decrypt SOPS
    /// files); null reads files as they are.
    /// </param>
    /// <exception cref="BuildException">Any problem, naming the file and field or line at fault.</exception>
    /// <exception cref="FileContentException">The <paramref name="contentFilter"/> refused a file.</exception>
    public IReadOnlyList<JsonObject> Build(string repositoryRoot, string path, IFileContentFilter? contentFilter = null) =>
        [.. Render(repositoryRoot, path, contentFilter).Select(r => r.Content)];

    /// <summary>
    /// <see cref="Build"/>, each object with the file it was read from (or the kustomization that generated it), so a
    /// later step can name the file at fault.
    /// </summary>
    /// <inheritdoc cref="Build"/>
    public IReadOnlyList<RenderedObject> Render(string repositoryRoot, string path, IFileContentFilter? contentFilter = null)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var files = new RepositoryFiles(repositoryRoot, limits, contentFilter);
            var folder = files.Resolve(".", ".", path.Length == 0 ? "." : path, "path");
            if (!files.IsDirectory(folder))
            {
                throw new BuildException(folder, null, "not a folder");
            }
            var layer = new KustomizationLayer(files, limits);
            var resources = layer.BuildFolder(folder, 0, [], allowPlain: true);

            // Patches and aliases can nest what each file kept under the limit; every later writer needs it kept.
            foreach (var resource in resources)
            {
                if (JsonDepth.Of(resource.Content) is var depth && depth > limits.MaxYamlDepth)
                {
                    throw new BuildException(resource.Origin, resource.Id.ToString(), $"object nests {depth} deep, over the limit of {limits.MaxYamlDepth} mappings and sequences");
                }
            }

            // Hashes and reference fixes happen once, after every layer has transformed the objects, as in kustomize.
            foreach (var resource in resources.Where(r => r.NeedsHashSuffix))
            {
                resource.Name = $"{resource.Name}-{NameHash.Compute(resource.Content)}";
            }
            NameReferences.Fix(resources, layer.NameReferenceRules);
            // With every name final, vars take their values (kustomize resolves them last).
            layer.Vars.Resolve(resources, layer.VarReferences);

            // kustomize writes an object's annotations as strings, whatever a replacement or var put there.
            foreach (var annotations in resources.Select(r => FieldPaths.Get(r.Content, "metadata/annotations")).OfType<JsonObject>())
            {
                foreach (var (key, value) in annotations.ToList())
                {
                    if (value is JsonValue scalar && scalar.GetValueKind() != System.Text.Json.JsonValueKind.String)
                    {
                        annotations[key] = ReplacementPath.Text(scalar);
                    }
                }
            }

            // Objects marked local-config are inputs for tools, never applied; kustomize drops them last.
            resources.RemoveAll(r => FieldPaths.Get(r.Content, "metadata/annotations") is JsonObject annotations
                && annotations["config.kubernetes.io/local-config"] is JsonValue local && local.ToString() == "true");
            return [.. resources.OrderBy(r => r, Comparer<Resource>.Create(KindRules.Compare)).Select(r => new RenderedObject(r.Content, r.Origin))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuildException(path, null, $"cannot read: {e.Message}", e);
        }
        catch (Exception e) when (e is not (BuildException or OperationCanceledException))
        {
            // Whatever hostile input provokes, a build fails with a value naming it, never a crash.
            throw new BuildException(path, null, $"{e.GetType().Name}: {e.Message}", e);
        }
    }
}
