using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The private Git server's CA (<c>Homelab:Publish:GitCaFile</c>), checked before it goes into Git:
/// PEM certificates only. A private key in the same file is refused, since the ConfigMap is committed.
/// </summary>
internal static class GitCaCertificate
{
    /// <summary>The certificates as PEM text, or null with the error naming the setting.</summary>
    public static string? Read(string path, out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Homelab:Publish:GitCaFile \"{path}\" cannot be read: {e.Message}";
            return null;
        }

        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            error = $"Homelab:Publish:GitCaFile \"{path}\" holds a private key: give the CA certificate alone (it is committed to Git)";
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            error = $"Homelab:Publish:GitCaFile \"{path}\" is not a PEM certificate: {e.Message}";
            return null;
        }

        if (certificates.Count == 0)
        {
            error = $"Homelab:Publish:GitCaFile \"{path}\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
            return null;
        }

        // Re-encoded: the same certificates always give the same bytes, whatever the file's line endings or comments.
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append(PemEncoding.WriteString("CERTIFICATE", certificate.RawData)).Append('\n');
            certificate.Dispose();
        }

        return pem.ToString();
    }
}
