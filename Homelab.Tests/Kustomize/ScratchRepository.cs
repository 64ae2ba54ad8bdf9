namespace Homelab.Tests.Kustomize;

/// <summary>A throw-away repository folder for tests that need hostile inputs (symlinks, binaries, bombs).</summary>
internal sealed class ScratchRepository : IDisposable
{
    public ScratchRepository() => Root = Directory.CreateTempSubdirectory("kustomize-test-").FullName;

    public string Root { get; }

    public ScratchRepository Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return this;
    }

    public ScratchRepository WriteBytes(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
