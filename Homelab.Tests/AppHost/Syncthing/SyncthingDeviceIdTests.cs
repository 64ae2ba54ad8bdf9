using System.Security.Cryptography.X509Certificates;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Syncthing;

/// <summary>
/// Our device ID against Debian's Syncthing 1.19.2 (<c>syncthing --device-id</c>), which eng/setup-podman.sh
/// installs with the stand-in image (hence <see cref="PodmanFactAttribute"/>).
/// </summary>
public sealed class SyncthingDeviceIdTests
{
    [PodmanFact]
    public async Task Equals_syncthings_own_for_certificates_syncthing_made()
    {
        for (var i = 0; i < 3; i++)
        {
            var home = Directory.CreateTempSubdirectory("homelab-syncthing-").FullName;
            await ProcessRunner.RunAsync("syncthing", ["generate", "--home", home, "--no-default-folder", "--skip-port-probing"]);

            using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(home, "cert.pem")));

            Assert.Equal(await SyncthingsAsync(home), SyncthingDeviceId.FromCertificate(certificate.RawData));
        }
    }

    [PodmanFact]
    public async Task Equals_syncthings_own_for_the_identity_the_apphost_generates()
    {
        var identity = SyncthingIdentity.Generate(TimeProvider.System);
        var home = Directory.CreateTempSubdirectory("homelab-syncthing-").FullName;
        await File.WriteAllTextAsync(Path.Combine(home, "cert.pem"), identity.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(home, "key.pem"), identity.KeyPem);

        Assert.Equal(await SyncthingsAsync(home), identity.DeviceId);
    }

    private static async Task<string> SyncthingsAsync(string home) =>
        (await ProcessRunner.RunAsync("syncthing", ["--device-id", "--home", home])).Trim();
}
