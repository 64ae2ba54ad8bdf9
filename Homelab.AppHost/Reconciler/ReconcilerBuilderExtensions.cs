using Homelab.Defaults;
using Microsoft.Extensions.Configuration;
namespace Homelab.AppHost.Reconciler;

/// <summary>Adds the Homelab reconciler (our GitOps controller) to the model.</summary>
internal static class ReconcilerBuilderExtensions
{
    /// <summary>
    /// Adds the reconciler project, wired with <c>Reconciler__*</c> settings: the source repository
    /// (this repository's root and current branch unless <c>Homelab:Reconciler:Source</c>/<c>Ref</c>
    /// say otherwise), the cluster path, the interval, and the kubeconfig when
    /// <c>Homelab:Reconciler:Kubeconfig</c> names one. Otherwise the reconciler finds the cluster itself
    /// (KUBECONFIG, ~/.kube/config, in-cluster): DCP starts it with the AppHost's environment. Notifications
    /// (<c>Homelab:Notify:Url</c>, <c>Kind</c>, <c>TokenFile</c>) are passed on as <c>Reconciler__Notify__*</c> when set: off by default.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddReconciler(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ParameterResource> apiToken,
        IResourceBuilder<ParameterResource> webhookSecret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(apiToken);

        var section = builder.Configuration.GetSection("Homelab:Reconciler");
        var repository = SourceRepository.Find(builder.AppHostDirectory);
        var source = section["Source"] is { Length: > 0 } s ? s : repository?.Root ?? string.Empty;
        var reference = section["Ref"] is { Length: > 0 } r ? r : repository?.Ref ?? ReconcilerDefaults.Ref;
        var path = section["Path"] is { Length: > 0 } p ? p : ReconcilerDefaults.Path;
        var interval = section.GetValue("Interval", ReconcilerDefaults.Interval);
        var kubeconfig = section["Kubeconfig"];
        var notify = builder.Configuration.GetSection("Homelab:Notify");

#pragma warning disable ASPIRECERTIFICATES001 // WithoutHttpsCertificate is experimental in Aspire 13.6.
        return builder.AddProject<Projects.Homelab_Reconciler>(name)
            .WithEnvironment("Reconciler__Source", source)
            .WithEnvironment("Reconciler__Ref", reference)
            .WithEnvironment("Reconciler__Path", path)
            .WithEnvironment("Reconciler__Interval", interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment(context =>
            {
                if (!string.IsNullOrEmpty(kubeconfig))
                {
                    context.EnvironmentVariables["Reconciler__Kubeconfig"] = kubeconfig;
                }

                // The reconciler checks them at start; the token stays in its file.
                foreach (var key in (string[])["Url", "Kind", "TokenFile"])
                {
                    if (notify[key] is { Length: > 0 } value)
                    {
                        context.EnvironmentVariables[$"Reconciler__Notify__{key}"] = value;
                    }
                }
            })
            .WithEnvironment("Reconciler__ApiToken", apiToken)
            .WithEnvironment("Reconciler__WebhookSecret", webhookSecret)
            .WithHttpHealthCheck(ProbePaths.Health)
            // It serves plain http on loopback. Without this, Aspire counts every project as a TLS user and, with no
            // trusted development certificate (a new Linux user's case), puts a red banner on every dashboard page.
            .WithoutHttpsCertificate()
            .WithReconcilerCommand("/reconcile", "Reconcile now", "reconcile-now", apiToken)
            .WithReconcilerCommand("/suspend", "Suspend", "suspend", apiToken)
            .WithReconcilerCommand("/resume", "Resume", "resume", apiToken);
#pragma warning restore ASPIRECERTIFICATES001
    }

    /// <summary>A dashboard command that POSTs to the reconciler with its API token.</summary>
    private static IResourceBuilder<ProjectResource> WithReconcilerCommand(
        this IResourceBuilder<ProjectResource> reconciler, string path, string displayName, string commandName, IResourceBuilder<ParameterResource> apiToken) =>
        reconciler.WithHttpCommand(path, displayName, endpointName: "http", commandName: commandName, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            PrepareRequest = async context =>
            {
                var token = await apiToken.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false);
                context.Request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            },
        });
}
