using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Apps;

/// <summary>
/// Per-app settings read from <c>Homelab:&lt;App&gt;:*</c> (environment: <c>Homelab__&lt;App&gt;__*</c>):
/// whether the app runs, and which image stands in for the pinned one.
/// </summary>
/// <param name="Enabled">False removes the app from the model. <value>Default: true.</value></param>
/// <param name="Image">Image name, with its registry. <value>Default: the pinned image.</value></param>
/// <param name="Tag">Image tag. <value>Default: the pinned tag.</value></param>
internal sealed record AppSettings(bool Enabled, string Image, string Tag)
{
    public static AppSettings Read(IConfiguration configuration, string app, string image, string tag)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"Homelab:{app}");
        return new AppSettings(
            section.GetValue("Enabled", true),
            ImageName.Qualify(NonEmpty(section["Image"]) ?? image),
            NonEmpty(section["Tag"]) ?? tag);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
