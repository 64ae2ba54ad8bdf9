using System.Globalization;
using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>Manifests of DCP's kinds for tests.</summary>
internal static class Manifests
{
    public const string DcpApiVersion = "usvc-dev.developer.microsoft.com/v1";

    /// <summary>An Executable that sleeps: DCP starts it as a real process.</summary>
    public static JsonObject Executable(string name, int seconds = 600, string? label = null) => new()
    {
        ["apiVersion"] = DcpApiVersion,
        ["kind"] = "Executable",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["test"] = label ?? "homelab" },
        },
        ["spec"] = new JsonObject
        {
            ["executablePath"] = "/bin/sleep",
            ["args"] = new JsonArray(seconds.ToString(CultureInfo.InvariantCulture)),
        },
    };

    public static string Prefix() => $"t{Guid.NewGuid():N}"[..10];
}
