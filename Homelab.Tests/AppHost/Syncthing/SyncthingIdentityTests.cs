using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Syncthing;

/// <summary>The identity the AppHost generates and reads: one value, a certificate and its key, made as Syncthing makes its own.</summary>
public sealed class SyncthingIdentityTests
{
    [Fact]
    public void A_generated_identity_is_a_self_signed_p384_certificate_for_cn_syncthing_valid_twenty_years_from_midnight()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromHours(6.5));

        var identity = SyncthingIdentity.Generate(time);

        using var certificate = X509Certificate2.CreateFromPem(identity.CertificatePem, identity.KeyPem);
        using var key = certificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
        Assert.Equal(384, key.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Equal(certificate.SubjectName.RawData, certificate.IssuerName.RawData);
        Assert.Equal("syncthing", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal("syncthing", certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false));
        Assert.Equal(new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc), certificate.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc).AddDays(20 * 365), certificate.NotAfter.ToUniversalTime());
        var usages = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        // The key as Syncthing writes key.pem, and the value is exactly the two blocks.
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----\n", identity.KeyPem, StringComparison.Ordinal);
        Assert.Equal(identity.CertificatePem + identity.KeyPem, identity.Value);
        Assert.Equal(SyncthingDeviceId.FromCertificate(certificate.RawData), identity.DeviceId);
    }

    [Fact]
    public void Each_generated_default_is_a_whole_pair_of_a_new_device_that_reads_back_as_itself()
    {
        var generator = new SyncthingIdentityDefault(TimeProvider.System);

        var first = SyncthingIdentity.Parse(generator.GetDefaultValue(), out var firstError);
        var second = SyncthingIdentity.Parse(generator.GetDefaultValue(), out var secondError);

        // Parse checks that the key is the certificate's: one call made both.
        Assert.Null(firstError);
        Assert.Null(secondError);
        Assert.NotEqual(first!.DeviceId, second!.DeviceId);
        Assert.Matches("^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$", first.DeviceId);
        Assert.Equal(first.DeviceId, SyncthingIdentity.Parse(first.Value, out _)?.DeviceId);
    }

    [Fact]
    public void The_blocks_may_come_in_either_order_with_windows_line_ends()
    {
        var identity = SyncthingIdentity.Generate(TimeProvider.System);

        var parsed = SyncthingIdentity.Parse((identity.KeyPem + "\n" + identity.CertificatePem).ReplaceLineEndings("\r\n"), out var error);

        Assert.Null(error);
        Assert.Equal(identity.DeviceId, parsed?.DeviceId);
        Assert.Equal(identity.Value, parsed?.Value);
    }

    [Fact]
    public void A_key_of_another_certificate_a_missing_block_or_two_certificates_are_refused_without_echoing_the_value()
    {
        var one = SyncthingIdentity.Generate(TimeProvider.System);
        var other = SyncthingIdentity.Generate(TimeProvider.System);

        string?[] values = [one.CertificatePem + other.KeyPem, one.CertificatePem, one.KeyPem, one.Value + other.CertificatePem, "not a pem", null];
        foreach (var value in values)
        {
            Assert.Null(SyncthingIdentity.Parse(value, out var error));
            Assert.NotNull(error);
            Assert.DoesNotContain("MII", error, StringComparison.Ordinal);
        }
    }
}
