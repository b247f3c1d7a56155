using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SpecSynth.Caching;

/// <summary>
/// The response cache's key: one SHA-256 (lower-case hex) fed field by field, straight from the messages and options (no
/// JSON document of the request is built). Every field is a one-byte tag followed by its value; text is its UTF-8 length
/// then its UTF-8 bytes, numbers are fixed-width little-endian, so no two different requests feed the hash the same bytes.
/// Values of rare kinds (tools, images, response formats, non-primitive properties) are fed as their JSON through
/// <see cref="AIJsonUtilities.DefaultOptions"/>. Options properties named <c>specsynth.*</c> are left out (they describe the
/// call, not the reply). Changing what is fed changes every key: bump <see cref="ResponseCache.FormatVersion"/>.
/// </summary>
internal sealed class ResponseCacheKey
{
    /// <summary>The bytes gathered before they are fed to the hash: each feed is a call into the crypto library, so the
    /// tags and numbers (dozens per request) and the texts go in a few large feeds instead of one each.</summary>
    private const int BufferBytes = 16 * 1024;

    [ThreadStatic]
    private static ResponseCacheKey? t_cached;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly List<string> _names = [];
    private int _used;

    private ResponseCacheKey()
    {
    }

    /// <summary>The key of a request: <paramref name="values"/> (format version, chain), <paramref name="more"/> (template
    /// version), the messages and the options.</summary>
    public static string Of(IEnumerable<ChatMessage> messages, ChatOptions? options, IReadOnlyList<object> values, IReadOnlyList<string> more)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(more);
        // One hasher per thread, reset by each digest (an exception mid-way leaves it dirty: it is then dropped).
        var key = t_cached ?? new ResponseCacheKey();
        t_cached = null;
        var digest = key.Compute(messages, options, values, more);
        t_cached = key;
        return digest;
    }

    private string Compute(IEnumerable<ChatMessage> messages, ChatOptions? options, IReadOnlyList<object> values, IReadOnlyList<string> more)
    {
        Tag('V');
        Int(values.Count + more.Count);
        // Index loops here and below: no boxed enumerator per list per request.
        for (var i = 0; i < values.Count; i++)
        {
            Value(values[i]);
        }
        for (var i = 0; i < more.Count; i++)
        {
            Text(more[i]);
        }
        if (messages is IList<ChatMessage> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Message(list[i]);
            }
        }
        else
        {
            foreach (var message in messages)
            {
                Message(message);
            }
        }
        Tag('E');
        Options(options);
        Flush();
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private void Message(ChatMessage message)
    {
        Tag('M');
        Text(message.Role.Value);
        Optional(message.AuthorName);
        Optional(message.MessageId);
        Optional(message.CreatedAt?.UtcTicks, message.CreatedAt?.Offset.Ticks);
        Contents(message.Contents);
        Properties(message.AdditionalProperties, skipOurs: false);
    }

    private void Options(ChatOptions? options)
    {
        if (options is null)
        {
            Tag('0');
            return;
        }
        Tag('O');
        Optional(options.ModelId);
        Optional(options.ConversationId);
        Optional(options.Instructions);
        Optional(options.Temperature);
        Optional(options.MaxOutputTokens);
        Optional(options.TopP);
        Optional(options.TopK);
        Optional(options.FrequencyPenalty);
        Optional(options.PresencePenalty);
        Optional(options.Seed, null);
        Optional(options.AllowMultipleToolCalls);
        Optional(options.AllowBackgroundResponses);
        if (options.StopSequences is { Count: > 0 } stops)
        {
            Tag('S');
            Int(stops.Count);
            foreach (var stop in stops)
            {
                Text(stop);
            }
        }
        else
        {
            Tag('0');
        }
        Json(options.Reasoning);
        Json(options.ResponseFormat);
        Json(options.ToolMode);
        Json(options.ContinuationToken);
        if (options.Tools is { Count: > 0 } tools)
        {
            Tag('T');
            Int(tools.Count);
            foreach (var tool in tools)
            {
                Text(tool.Name);
                Optional(tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    Tag('F');
                    Bytes(JsonSerializer.SerializeToUtf8Bytes(function.JsonSchema, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonElement))));
                }
                else
                {
                    Tag('0');
                }
            }
        }
        else
        {
            Tag('0');
        }
        Properties(options.AdditionalProperties, skipOurs: true);
    }

    private void Contents(IList<AIContent> contents)
    {
        Int(contents.Count);
        for (var i = 0; i < contents.Count; i++)
        {
            var content = contents[i];
            if (content is TextContent text && text.GetType() == typeof(TextContent) && text.Annotations is not { Count: > 0 })
            {
                Tag('t');
                Text(text.Text);
                Properties(text.AdditionalProperties, skipOurs: false);
            }
            else
            {
                Tag('o');
                Bytes(JsonSerializer.SerializeToUtf8Bytes(content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent))));
            }
        }
    }

    private void Properties(AdditionalPropertiesDictionary? properties, bool skipOurs)
    {
        if (properties is not { Count: > 0 })
        {
            Tag('0');
            return;
        }
        Tag('P');
        // This hasher's list (properties never nest here): no list per properties bag per request.
        var names = _names;
        names.Clear();
        foreach (var name in properties.Keys)
        {
            if (!skipOurs || !name.StartsWith(ResponseCache.PropertyPrefix, StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }
        names.Sort(StringComparer.Ordinal);
        Int(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            Text(names[i]);
            Value(properties[names[i]]);
        }
        names.Clear();
    }

    /// <summary>A property value: primitives by kind, anything else as its JSON.</summary>
    private void Value(object? value)
    {
        switch (value)
        {
            case null: Tag('n'); break;
            case string s: Tag('s'); Text(s); break;
            case bool b: Tag(b ? 'y' : 'f'); break;
            case int i: Tag('i'); Long(i); break;
            case long l: Tag('l'); Long(l); break;
            case double d: Tag('d'); Long(BitConverter.DoubleToInt64Bits(d)); break;
            case float f: Tag('r'); Int(BitConverter.SingleToInt32Bits(f)); break;
            case decimal m: Tag('m'); Text(m.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case JsonElement e: Tag('j'); Text(e.GetRawText()); break;
            default: Tag('J'); Bytes(JsonSerializer.SerializeToUtf8Bytes(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()))); break;
        }
    }

    private void Json<T>(T? value)
        where T : class
    {
        if (value is null)
        {
            Tag('0');
            return;
        }
        Tag('J');
        Bytes(JsonSerializer.SerializeToUtf8Bytes(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())));
    }

    private void Optional(string? value)
    {
        if (value is null)
        {
            Tag('0');
        }
        else
        {
            Tag('s');
            Text(value);
        }
    }

    private void Optional(long? value, long? more)
    {
        if (value is not { } v)
        {
            Tag('0');
            return;
        }
        Tag('l');
        Long(v);
        Long(more ?? 0);
    }

    private void Optional(int? value) => Optional(value, null);

    private void Optional(float? value)
    {
        if (value is { } v)
        {
            Tag('r');
            Int(BitConverter.SingleToInt32Bits(v));
        }
        else
        {
            Tag('0');
        }
    }

    private void Optional(bool? value) => Tag(value switch { true => 'y', false => 'f', null => '0' });

    private void Tag(char tag)
    {
        Room(1)[0] = (byte)tag;
        _used++;
    }

    private void Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Room(sizeof(int)), value);
        _used += sizeof(int);
    }

    private void Long(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Room(sizeof(long)), value);
        _used += sizeof(long);
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        Long(bytes.Length);
        if (bytes.Length > _buffer.Length - _used)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                _hash.AppendData(bytes);
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>A text: its length in UTF-16 chars, then its UTF-8 bytes (encoded into the buffer, never as one copy). A
    /// lone surrogate (not UTF-8-encodable) switches to the rest's raw UTF-16 after a 0xFF byte, which UTF-8 never contains.</summary>
    private void Text(string text)
    {
        var chars = text.AsSpan();
        Long(chars.Length);
        while (!chars.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.FromUtf16(chars, _buffer.AsSpan(_used), out var read, out var written, replaceInvalidSequences: false);
            _used += written;
            chars = chars[read..];
            if (status == OperationStatus.DestinationTooSmall)
            {
                Flush();
            }
            else if (status == OperationStatus.InvalidData)
            {
                Tag((char)0xFF);
                foreach (var c in chars)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(Room(sizeof(char)), c);
                    _used += sizeof(char);
                }
                return;
            }
        }
    }

    /// <summary>The buffer's free space, at least <paramref name="bytes"/> (fed to the hash first when it has less).</summary>
    private Span<byte> Room(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            Flush();
        }
        return _buffer.AsSpan(_used);
    }

    private void Flush()
    {
        if (_used > 0)
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
