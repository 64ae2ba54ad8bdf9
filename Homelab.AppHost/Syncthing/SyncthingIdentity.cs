using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Syncthing's identity: its certificate and private key, whose certificate hash is the device ID every paired
/// device knows it by. Kept as one parameter value (the certificate's PEM block, then the key's) so that one
/// generation yields both and they can never drift apart; the init step splits them into cert.pem and key.pem.
/// </summary>
internal sealed class SyncthingIdentity
{
    /// <summary>What Syncthing 1.x writes on first start: 20 years, from midnight UTC of the day it was made.</summary>
    private const int LifetimeDays = 20 * 365;

    /// <summary>The common name (and DNS name) Syncthing gives its own certificate.</summary>
    public const string CommonName = "syncthing";

    /// <summary>Ed25519 keys (what Syncthing 2 makes) the BCL cannot load; such a pair is taken on its certificate alone.</summary>
    private const string Ed25519Oid = "1.3.101.112";

    private SyncthingIdentity(string certificatePem, string keyPem, string deviceId)
    {
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        DeviceId = deviceId;
    }

    /// <summary>The certificate, one PEM block ending in a newline.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key, one PEM block ending in a newline.</summary>
    public string KeyPem { get; }

    /// <summary>The device ID (<c>XXXXXXX-XXXXXXX-…</c>, eight groups).</summary>
    public string DeviceId { get; }

    /// <summary>The parameter's value: the certificate's block, then the key's.</summary>
    public string Value => CertificatePem + KeyPem;

    /// <summary>
    /// A new identity made the way Syncthing 1.x makes its own (lib/tlsutil): an ECDSA P-384 key, a self-signed
    /// certificate signed with SHA-256, CN and DNS name "syncthing", O "Syncthing", OU "Automatically Generated",
    /// a random 63-bit serial, for TLS server and client authentication, and the key as an "EC PRIVATE KEY" block.
    /// P-384 rather than Syncthing 2's Ed25519: both the pinned 1.x image and Syncthing 2 accept it, and the BCL makes it.
    /// </summary>
    public static SyncthingIdentity Generate(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("Syncthing");
        name.AddOrganizationalUnitName("Automatically Generated");
        name.AddCommonName(CommonName);
        var subject = name.Build();
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(CommonName);
        request.CertificateExtensions.Add(names.Build());

        var notBefore = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var serial = RandomNumberGenerator.GetBytes(8);
        // A positive serial: the top bit clear, as Go's big.Int from a uint64 is never negative in DER.
        serial[0] &= 0x7f;
        using var certificate = request.Create(subject, X509SignatureGenerator.CreateForECDsa(key), notBefore, notBefore.AddDays(LifetimeDays), serial);
        return new SyncthingIdentity(certificate.ExportCertificatePem() + "\n", key.ExportECPrivateKeyPem() + "\n", SyncthingDeviceId.FromCertificate(certificate.RawData));
    }

    /// <summary>
    /// The identity in a parameter value: exactly one CERTIFICATE block and one private key block (EC, RSA or
    /// PKCS#8), in any order, the key matching the certificate. Null, with <paramref name="error"/> saying what is
    /// wrong (never the value), when it is not one.
    /// </summary>
    public static SyncthingIdentity? Parse(string? value, out string? error)
    {
        string? certificatePem = null;
        string? keyPem = null;
        var rest = (value ?? string.Empty).AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var block = rest[fields.Location].ToString().ReplaceLineEndings("\n") + "\n";
            if (label == "CERTIFICATE")
            {
                if (certificatePem is not null)
                {
                    error = "holds more than one CERTIFICATE block";
                    return null;
                }

                certificatePem = block;
            }
            else if (label is "EC PRIVATE KEY" or "RSA PRIVATE KEY" or "PRIVATE KEY")
            {
                if (keyPem is not null)
                {
                    error = "holds more than one private key block";
                    return null;
                }

                keyPem = block;
            }

            rest = rest[fields.Location.End..];
        }

        if (certificatePem is null || keyPem is null)
        {
            error = "must hold a CERTIFICATE block and a PRIVATE KEY block (Syncthing's cert.pem and key.pem, one after the other)";
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            if (certificate.PublicKey.Oid.Value != Ed25519Oid)
            {
                // Throws when the key is not the certificate's.
                using var pair = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }

            error = null;
            return new SyncthingIdentity(certificatePem, keyPem, SyncthingDeviceId.FromCertificate(certificate.RawData));
        }
        catch (CryptographicException)
        {
            error = "holds a certificate and a key that do not belong together or cannot be read";
            return null;
        }
    }
}
