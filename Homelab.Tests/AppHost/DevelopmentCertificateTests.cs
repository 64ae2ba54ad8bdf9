#pragma warning disable ASPIRECERTIFICATES001 // The certificate annotations are experimental in Aspire 13.6.
using Aspire.Hosting.ApplicationModel;

namespace Homelab.Tests.AppHost;

/// <summary>
/// A new user's first `eng/run.sh` on Linux has no trusted development certificate. Aspire 13.6 then puts a red
/// "No trusted development certificate" banner on every dashboard page when any resource may use TLS: an https
/// endpoint, or a project (Aspire gives every project a Kestrel certificate callback) not marked certificate-free.
/// Everything here serves plain http on loopback, so nothing may ask for a certificate.
/// </summary>
public sealed class DevelopmentCertificateTests
{
    [Fact]
    public async Task No_resource_asks_for_a_development_certificate()
    {
        var builder = await AppHostModel.BuildAsync();

        var wanting = builder.Resources
            .Where(r => r.Annotations.OfType<EndpointAnnotation>().Any(e => e.UriScheme == "https")
                || (r.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any()
                    && !r.Annotations.OfType<HttpsCertificateAnnotation>().Any(a => a.UseDeveloperCertificate == false && a.Certificate is null)))
            .Select(r => r.Name)
            .ToList();

        Assert.Empty(wanting);
        Assert.Contains(builder.Resources, r => r is ProjectResource);
    }
}
