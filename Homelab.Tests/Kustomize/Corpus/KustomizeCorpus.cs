using System.Formats.Tar;
using System.IO.Compression;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>
/// The real-world kustomize corpus (shared/kustomize-corpus/corpus.tgz, third-party data): extracted to a
/// temporary folder once per test run, never into the repository.
/// </summary>
internal static class KustomizeCorpus
{
    private static readonly Lazy<string> Extracted = new(Extract);

    /// <summary>Path of corpus.tgz, or null when it is not beside the repository nor at /work/shared.</summary>
    public static string? ArchivePath { get; } = Locate();

    /// <summary>Why a corpus test cannot run here, or null when the archive is found.</summary>
    public static string? MissingReason => ArchivePath is null ? "shared/kustomize-corpus/corpus.tgz is not beside the repository nor at /work/shared" : null;

    /// <summary>The extracted <c>corpus</c> folder: one sub-folder per repository, plus <c>CASES</c>.</summary>
    public static string Root => Extracted.Value;

    /// <summary>Every case: the repository folder (the working directory) and the directory to build inside it.</summary>
    public static IReadOnlyList<(string Repository, string Directory)> Cases() =>
        [.. File.ReadAllLines(Path.Combine(Root, "CASES"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => (parts[0], parts[1]))];

    private static string? Locate() =>
        SharedFolder.TryLocate("kustomize-corpus") is { } folder && Path.Combine(folder, "corpus.tgz") is var archive && File.Exists(archive) ? archive : null;

    private static string Extract()
    {
        var archive = ArchivePath ?? throw new FileNotFoundException("shared/kustomize-corpus/corpus.tgz not found");
        var target = Directory.CreateTempSubdirectory("homelab-kustomize-corpus-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(target);
        using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        {
            TarFile.ExtractToDirectory(gzip, target, overwriteFiles: false);
        }
        return Path.Combine(target, "corpus");
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the next run extracts a fresh one.
        }
    }
}
