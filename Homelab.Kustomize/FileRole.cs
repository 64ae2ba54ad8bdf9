namespace Homelab.Kustomize;

/// <summary>What the builder reads a file for, so an <see cref="IFileContentFilter"/> knows how to read it.</summary>
public enum FileRole
{
    /// <summary>A file of objects: listed in <c>resources</c> (or <c>bases</c>), or found in a folder without a kustomization. YAML, maybe several documents.</summary>
    Resource,

    /// <summary>A <c>secretGenerator</c> <c>files:</c> source: any content, which becomes one key of the Secret.</summary>
    SecretGeneratorFile,

    /// <summary>A <c>secretGenerator</c> <c>envs:</c> (or <c>env:</c>) source: <c>KEY=value</c> lines, one key each.</summary>
    SecretGeneratorEnv,

    /// <summary>A <c>configMapGenerator</c> <c>files:</c> source.</summary>
    ConfigMapGeneratorFile,

    /// <summary>A <c>configMapGenerator</c> <c>envs:</c> (or <c>env:</c>) source.</summary>
    ConfigMapGeneratorEnv,
}
