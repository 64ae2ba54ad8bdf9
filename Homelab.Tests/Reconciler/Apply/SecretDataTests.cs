using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>What a Secret is applied as: data only, stringData merged in as the API server merges it.</summary>
public sealed class SecretDataTests
{
    [Fact]
    public void StringData_is_merged_into_data_base64_encoded_and_wins_on_a_shared_key()
    {
        var secret = Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque","data":{"kept":"a2VwdA==","both":"b2xk"},"stringData":{"both":"new","plain":"pässword"}}""");

        var applied = SecretData.Normalize(secret);

        Assert.Null(applied["stringData"]);
        Assert.Equal(
            """{"kept":"a2VwdA==","both":"bmV3","plain":"cMOkc3N3b3Jk"}""",
            applied["data"]!.ToJsonString());
        Assert.Equal("Opaque", (string?)applied["type"]);
        // The manifest itself is left as it was (it is the build's, and hashed as Git has it elsewhere).
        Assert.NotNull(secret["stringData"]);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"YQ=="}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"stringData":{"a":"b"}}""")]
    [InlineData("""{"apiVersion":"example.org/v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"a":"b"}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"port":5432}}""")]
    public void Anything_else_is_sent_as_written(string json)
    {
        var manifest = Parse(json);

        Assert.Same(manifest, SecretData.Normalize(manifest));
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;
}
