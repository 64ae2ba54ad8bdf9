namespace Homelab.Tests.Infrastructure;

/// <summary>
/// Data shared beside the repository (../shared/NAME in CI, /work/shared/NAME on the build machine): real
/// servers' answers that no test here can produce. Read at test time, never copied into the repository.
/// </summary>
internal static class SharedFolder
{
    /// <summary>The shared folder beside the repository (or beside any folder above it, as in a CI clone).</summary>
    public static string Locate(string name) =>
        TryLocate(name) ?? throw new DirectoryNotFoundException($"shared/{name} is not beside {TestPaths.RepositoryRoot} or at /work/shared/{name}");

    /// <summary>As <see cref="Locate"/>, or null when it is nowhere (for tests that skip without it).</summary>
    public static string? TryLocate(string name)
    {
        for (var directory = new DirectoryInfo(TestPaths.RepositoryRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        var machine = $"/work/shared/{name}";
        return Directory.Exists(machine) ? machine : null;
    }
}
