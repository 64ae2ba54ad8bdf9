using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Homelab.Reconciler.Source;

/// <summary>
/// Certificate authorities trusted for https Git in addition to the system's roots (<c>Reconciler:CaFile</c>): a
/// private Git server with its own CA. They are handed to libgit2 itself (its SSL certificate locations option),
/// so every https operation (listing refs, fetch, clone) trusts them, and libgit2 still checks the host name.
/// LibGit2Sharp offers a certificate callback on fetch and clone only, not on listing a remote's refs, and
/// replacing the system roots (SSL_CERT_FILE) would break every public server.
/// </summary>
internal static class GitCertificateAuthorities
{
    /// <summary>libgit2's <c>GIT_OPT_SET_SSL_CERT_LOCATIONS</c>.</summary>
    private const int SetSslCertLocations = 12;

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Added = new(StringComparer.Ordinal);

    /// <summary>Why <paramref name="path"/> cannot serve as a CA file (missing, unreadable, no PEM certificate); null when it can.</summary>
    public static string? Problem(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
            return certificates.Count == 0 ? "it holds no PEM certificate" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or NotSupportedException)
        {
            return ex.Message.ReplaceLineEndings(" ");
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Makes libgit2 trust the certificates in <paramref name="path"/> (once per file and process); <paramref name="setting"/> names it in errors.</summary>
    /// <exception cref="SourceException">The file cannot be used, or libgit2 refused it.</exception>
    public static void Trust(string path, string setting)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Added.Contains(full))
            {
                return;
            }

            if (Problem(full) is { } problem)
            {
                throw new SourceException($"{setting} {full} cannot be used: {problem}");
            }

            var result = SetCertificateFile(full);
            if (result != 0)
            {
                throw new SourceException($"{setting} {full} was refused by libgit2 (error {result})");
            }

            Added.Add(full);
        }
    }

    /// <summary>
    /// Calls <c>git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, NULL)</c> in the libgit2 LibGit2Sharp loaded
    /// (its file name carries a build hash, so it is found among the process's mapped files). With libgit2's
    /// OpenSSL backend this adds the file to the roots it already trusts (the system's).
    /// </summary>
    private static unsafe int SetCertificateFile(string file)
    {
        // Loads and initialises libgit2 (LibGit2Sharp's static setup) before its options are touched.
        _ = LibGit2Sharp.GlobalSettings.GetConfigSearchPaths(LibGit2Sharp.ConfigurationLevel.Global);
        var library = LoadedLibGit2() ?? throw new SourceException("the libgit2 library LibGit2Sharp loaded was not found among the process's mapped files");
        var handle = NativeLibrary.Load(library);
        var options = (delegate* unmanaged<int, nint, nint, int>)NativeLibrary.GetExport(handle, "git_libgit2_opts");
        var name = Marshal.StringToCoTaskMemUTF8(file);
        try
        {
            return options(SetSslCertLocations, name, 0);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    private static string? LoadedLibGit2()
    {
        if (!File.Exists("/proc/self/maps"))
        {
            return null;
        }

        return File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var start and >= 0 ? line[start..] : null)
            .FirstOrDefault(path => path is not null && Path.GetFileName(path).StartsWith("libgit2-", StringComparison.Ordinal) && path.EndsWith(".so", StringComparison.Ordinal));
    }
}
