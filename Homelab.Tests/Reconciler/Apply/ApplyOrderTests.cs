using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Reconciler.Apply;

public sealed class ApplyOrderTests
{
    private static JsonObject Object(string kind, string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } };

    [Fact]
    public void Definitions_and_namespaces_come_first_workloads_later_and_custom_resources_last()
    {
        var sorted = ApplyOrder.Sort([Object("Executable", "x"), Object("Deployment", "web"), Object("Service", "web"), Object("Namespace", "apps"), Object("ServiceAccount", "sa"), Object("CustomResourceDefinition", "crd")]);

        Assert.Equal(["CustomResourceDefinition", "Namespace", "ServiceAccount", "Service", "Deployment", "Executable"], sorted.Select(o => ObjectReference.Of(o).Kind));
    }

    [Fact]
    public void The_order_within_a_kind_is_by_name_whatever_the_input_order()
    {
        var sorted = ApplyOrder.Sort([Object("Service", "b"), Object("Service", "c"), Object("Service", "a")]);

        Assert.Equal(["a", "b", "c"], sorted.Select(o => ObjectReference.Of(o).Name));
    }

    [Theory]
    [InlineData("CustomResourceDefinition", true)]
    [InlineData("Namespace", true)]
    [InlineData("Deployment", false)]
    public void Only_definitions_and_namespaces_are_first_stage(string kind, bool first) =>
        Assert.Equal(first, ApplyOrder.IsFirstStage(kind));
}
