using Homelab.Reconciler.Reconcile;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// The settings of a CLI verb, read as <c>run</c> reads them: <c>Reconciler:*</c> from appsettings.json (and
/// appsettings.&lt;environment&gt;.json) in the current directory and from the environment
/// (<c>Reconciler__HealthTimeout</c>); the verb's flags win. Checked by <see cref="ReconcileOptionsValidator"/>.
/// </summary>
internal static class CliSettings
{
    /// <summary>The configuration a verb reads, in <c>run</c>'s order (later sources win).</summary>
    public static IConfiguration Read(string currentDirectory)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(currentDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    /// <summary>
    /// <c>Reconciler:*</c> from <paramref name="configuration"/>, then <paramref name="flags"/> (what the user passed),
    /// then checked. A value that cannot be read, or breaks a rule, is an <see cref="OptionsValidationException"/>
    /// naming the setting: one line and exit 2.
    /// </summary>
    public static ReconcileOptions Resolve(IConfiguration configuration, Action<ReconcileOptions> flags)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(flags);
        var options = new ReconcileOptions();
        try
        {
            configuration.GetSection(ReconcileOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the setting ("… at 'Reconciler:HealthTimeout' to type 'System.TimeSpan'").
            throw Invalid([ex.Message]);
        }

        flags(options);
        var validation = new ReconcileOptionsValidator().Validate(null, options);
        return validation.Failed ? throw Invalid(validation.Failures) : options;
    }

    private static OptionsValidationException Invalid(IEnumerable<string> failures) =>
        new(nameof(ReconcileOptions), typeof(ReconcileOptions), failures);
}
