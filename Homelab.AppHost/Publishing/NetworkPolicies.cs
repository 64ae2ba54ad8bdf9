using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// Ingress only: each namespace denies every connection into its pods, then each Service's pods accept
/// the Service's target ports, from anywhere (the Service, its NodePort and the Tailscale proxy all
/// arrive as ordinary traffic). Egress stays open: the reconciler reaches the API server and Git, the
/// apps their peers. The kubelet's probes come from the node, which NetworkPolicy always allows.
/// A CNI without NetworkPolicy support (Docker Desktop's, flannel alone) ignores these objects.
/// </summary>
internal static class NetworkPolicies
{
    public const string DefaultDenyName = "default-deny-ingress";

    public static V1NetworkPolicy DefaultDenyIngress(string ns) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = DefaultDenyName, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = WorkloadTranslator.PartOf } },
        Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"] },
    };

    /// <summary>Lets the Service's ports (by their target port on the pod) into the pods it selects, and nothing else.</summary>
    public static V1NetworkPolicy AllowServicePorts(V1Service service) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = service.Metadata.Name, NamespaceProperty = service.Metadata.NamespaceProperty, Labels = service.Metadata.Labels },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = service.Spec.Selector },
            PolicyTypes = ["Ingress"],
            Ingress =
            [
                new V1NetworkPolicyIngressRule
                {
                    Ports = [.. service.Spec.Ports.Select(p => new V1NetworkPolicyPort { Port = p.TargetPort ?? p.Port, Protocol = p.Protocol })],
                },
            ],
        },
    };
}
