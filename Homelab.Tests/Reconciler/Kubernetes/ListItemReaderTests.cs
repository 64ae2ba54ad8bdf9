using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>LIST answers read item by item as they arrive, however the bytes are split.</summary>
public sealed class ListItemReaderTests
{
    public static TheoryData<int> ChunkSizes => [1, 7, 4096, int.MaxValue];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Real_api_server_lists_give_every_item_as_parsed_whole(int chunk)
    {
        var lists = RealApiServer.Lists("after-apply").ToList();
        Assert.NotEmpty(lists);
        foreach (var file in lists)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var expected = JsonNode.Parse(bytes)!["items"]!.AsArray();

            var items = await ReadAsync(bytes, chunk);

            Assert.Equal(expected.Count, items.Count);
            Assert.All(expected.Zip(items), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), $"{file}: {pair.Second}"));
        }
    }

    [Fact]
    public async Task Only_the_top_level_items_are_items()
    {
        // An "items" field inside an item, or in the list's metadata, is part of that value.
        var list = """{"kind":"ConfigMapList","metadata":{"items":[{"no":1}]},"items":[{"metadata":{"name":"a"},"data":{"items":"[1]"},"spec":{"items":[{"x":1}]}},{"metadata":{"name":"b"}}],"trailer":{"items":[{"no":2}]}}""";

        var items = await ReadAsync(Encoding.UTF8.GetBytes(list), chunk: 3);

        Assert.Equal(["a", "b"], items.Select(i => (string?)i["metadata"]?["name"]));
        Assert.Equal(1, (int?)items[0]["spec"]?["items"]?[0]?["x"]);
    }

    [Theory]
    [InlineData("""{"kind":"List","items":[]}""")]
    [InlineData("""{"kind":"List","items":null}""")]
    [InlineData("""{"kind":"List","metadata":{"resourceVersion":"7"}}""")]
    public async Task An_empty_or_absent_items_array_gives_nothing(string list) =>
        Assert.Empty(await ReadAsync(Encoding.UTF8.GetBytes(list), chunk: 5));

    [Fact]
    public async Task An_item_larger_than_the_first_buffer_is_read_whole()
    {
        var large = new string('x', 200_000);
        var list = new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["metadata"] = new JsonObject { ["name"] = "small" } },
                new JsonObject { ["metadata"] = new JsonObject { ["name"] = "large", ["annotations"] = new JsonObject { ["a"] = large } } },
                new JsonObject { ["metadata"] = new JsonObject { ["name"] = "last" } }),
        }.ToJsonString();

        var items = await ReadAsync(Encoding.UTF8.GetBytes(list), chunk: 1000);

        Assert.Equal(["small", "large", "last"], items.Select(i => (string?)i["metadata"]?["name"]));
        Assert.Equal(large, (string?)items[1]["metadata"]?["annotations"]?["a"]);
    }

    [Theory]
    [InlineData("""{"items":[{"metadata":{"name":"a"}},{"metadata":""")]
    [InlineData("""{"items":[{"metadata":{"name":"a"}}""")]
    [InlineData("")]
    [InlineData("""<html>not json</html>""")]
    public async Task A_cut_or_malformed_answer_is_an_error(string answer) =>
        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAsync(Encoding.UTF8.GetBytes(answer), chunk: 4));

    [Fact]
    public async Task An_item_beyond_any_object_the_server_can_store_is_refused()
    {
        var item = new JsonObject { ["data"] = new string('x', ListItemReader.MaxItemBytes) };
        var list = Encoding.UTF8.GetBytes(new JsonObject { ["items"] = new JsonArray(item) }.ToJsonString());

        var error = await Assert.ThrowsAsync<JsonException>(() => ReadAsync(list, chunk: int.MaxValue));

        Assert.Contains("larger than 16 MiB", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<JsonObject>> ReadAsync(byte[] answer, int chunk)
    {
        await using var stream = new ChunkedStream(answer, chunk);
        var items = new List<JsonObject>();
        await foreach (var item in ListItemReader.ReadAsync(stream, CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>Gives at most <paramref name="chunk"/> bytes per read, as a network answer arrives in pieces.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
