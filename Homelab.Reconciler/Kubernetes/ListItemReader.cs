using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Reads a LIST answer (<c>{"kind":"…List","metadata":{…},"items":[…]}</c>) one item at a time. A list of a
/// thousand objects is megabytes: parsed whole, it and its parse buffers (rented from the shared array
/// pool, which keeps them) would stay in memory long after the cycle. Here memory holds the largest
/// single item, in a buffer of our own that is dropped with the reader.
/// </summary>
internal sealed class ListItemReader
{
    /// <summary>etcd stores objects of at most 1.5 MiB; anything far larger is not a Kubernetes object.</summary>
    internal const int MaxItemBytes = 16 * 1024 * 1024;

    private const int InitialBufferBytes = 16 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _length;
    private bool _final;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = ServerJson.Reading.MaxDepth });
    private bool _itemsNext;
    private bool _inItems;

    private ListItemReader(Stream stream) => _stream = stream;

    /// <summary>The items of the list in <paramref name="stream"/>, each parsed on its own.</summary>
    public static async IAsyncEnumerable<JsonObject> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new ListItemReader(stream);
        var found = new List<JsonObject>();
        while (true)
        {
            await reader.FillAsync(cancellationToken).ConfigureAwait(false);
            var done = reader.Scan(found);
            foreach (var item in found)
            {
                yield return item;
            }

            found.Clear();
            if (done)
            {
                yield break;
            }
        }
    }

    /// <summary>Reads more of the answer behind what is buffered, growing the buffer when one token or item fills it.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= MaxItemBytes)
            {
                throw new JsonException($"a list item is larger than {MaxItemBytes / (1024 * 1024)} MiB");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxItemBytes));
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
        _length += read;
        _final = read == 0;
    }

    /// <summary>
    /// Walks the complete tokens buffered, adding every complete item to <paramref name="found"/>, and keeps
    /// what is left (a partial token or item) for the next read. True once the whole answer is read.
    /// </summary>
    private bool Scan(List<JsonObject> found)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, _state);
        var state = _state;
        var consumed = 0;
        while (true)
        {
            if (!reader.Read())
            {
                state = reader.CurrentState;
                consumed = (int)reader.BytesConsumed;
                break;
            }

            if (_inItems && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    // Only part of this item is buffered: resume in front of it once more has arrived.
                    break;
                }

                var end = (int)reader.BytesConsumed;
                if (JsonNode.Parse(_buffer.AsSpan(start, end - start), documentOptions: ServerJson.Reading) is JsonObject item)
                {
                    found.Add(item);
                }
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                _itemsNext = reader.ValueTextEquals("items"u8);
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.StartArray)
            {
                _inItems = _itemsNext;
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.EndArray)
            {
                _inItems = false;
            }

            state = reader.CurrentState;
            consumed = (int)reader.BytesConsumed;
        }

        _state = state;
        _buffer.AsSpan(consumed, _length - consumed).CopyTo(_buffer);
        _length -= consumed;
        return _final && _length == 0;
    }
}
