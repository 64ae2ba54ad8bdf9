using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;

namespace Homelab.Tests.Reconciler.Apply;

public sealed class JsonSubsetTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"a":{"x":1}}""", """{"a":{"x":1,"y":2}}""", true)]
    [InlineData("""{"a":1}""", """{"a":2}""", false)]
    [InlineData("""{"a":1}""", """{"b":1}""", false)]
    [InlineData("""{"l":[{"n":"a"}]}""", """{"l":[{"n":"a","d":1}]}""", true)]
    [InlineData("""{"l":[1,2]}""", """{"l":[1]}""", false)]
    [InlineData("""{"l":[1]}""", """{"l":[1,2]}""", false)]
    public void Desired_fields_must_all_be_live(string desired, string live, bool expected) =>
        Assert.Equal(expected, JsonSubset.IsSubset(JsonNode.Parse(desired), JsonNode.Parse(live)));
}
