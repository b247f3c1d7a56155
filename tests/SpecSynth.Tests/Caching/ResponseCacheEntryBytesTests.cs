using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Caching;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Caching;

/// <summary>
/// The cache entry written straight to bytes (<see cref="SpecSynth.Usage.RelaxedJsonBytes"/>, issue 19) against the entry as
/// <see cref="Utf8JsonWriter"/> with the relaxed encoder wrote it before (the former <c>ResponseCacheCodec.Serialize</c>, kept
/// here as the reference): the same bytes for every kind of field, content and property value, and for many random texts
/// (unicode, quotes, controls, lone surrogates), so entries written before and after are the same entries.
/// </summary>
public sealed class ResponseCacheEntryBytesTests
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly DateTimeOffset Created = new(2026, 12, 7, 8, 0, 0, 123, TimeSpan.FromHours(-5));

    [Fact]
    public void Entries_OfEveryKindOfContentAndValue_AreTheJsonWriterEntries()
    {
        var json = JsonDocument.Parse("{\"a\":[1,\"x\\u00e9\",null],\"b\":{\"c\":true}}").RootElement.Clone();
        var values = new (string, object?)[]
        {
            ("s", "caf\u00e9 \"q\" \\ <b>&</b> \u0001 \ud83d\ude00 \ud800"), ("t", true), ("f", false), ("n", null), ("i", -42),
            ("l", long.MaxValue), ("d", 0.1 + 0.2), ("d2", 1e300), ("d3", -0.0), ("r", 3.14159f), ("m", 12.3400m), ("j", json),
            ("arr", new[] { "a", "b" }), ("na\u00efve \"name\"\n", "v"),
        };
        AdditionalPropertiesDictionary Properties()
        {
            var properties = new AdditionalPropertiesDictionary();
            foreach (var (name, value) in values)
            {
                properties[name] = value;
            }
            return properties;
        }
        List<ChatResponseUpdate> updates =
        [
            new(ChatRole.Assistant, [new TextContent("plain"), new TextContent("with properties") { AdditionalProperties = Properties() }])
            {
                ResponseId = "r\u00e91", MessageId = "m\"1", ModelId = "gpt-4.1", AuthorName = "a\nb", CreatedAt = Created,
                AdditionalProperties = Properties(),
            },
            new(new ChatRole("tool \u4e2d"), [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["a"] = "caf\u00e9 <x>" })])
            {
                CreatedAt = Created.ToOffset(TimeSpan.Zero),
            },
            new(ChatRole.Assistant, [new TextContent("annotated") { Annotations = [new CitationAnnotation { Title = "t\u00e9" }] }]) { CreatedAt = null },
            new()
            {
                Contents =
                [
                    new UsageContent(new UsageDetails
                    {
                        InputTokenCount = 100, OutputTokenCount = 0, TotalTokenCount = long.MaxValue, CachedInputTokenCount = -1,
                        ReasoningTokenCount = 7, AdditionalCounts = new() { ["cache_creation_input_tokens"] = 3, ["\u00e9\"x"] = 4 },
                    }),
                    new UsageContent(new UsageDetails { InputTokenCount = 1 }) { AdditionalProperties = new() { ["p"] = 1 } },
                ],
                FinishReason = ChatFinishReason.Stop,
            },
            new() { Contents = [new UsageContent(new UsageDetails())], FinishReason = new ChatFinishReason("odd \u0007") },
        ];

        Assert.Equal(Encoding.UTF8.GetString(ReferenceSerialize(updates)), Encoding.UTF8.GetString(ResponseCacheCodec.Serialize(updates)));
        Assert.Equal(ReferenceSerialize(updates), ResponseCacheCodec.Serialize(updates));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Replies_OfManyRandomStreams_AreTheJsonWriterEntries(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var updates = new List<ChatResponseUpdate>();
            var count = random.Next(0, 12);
            for (var i = 0; i < count; i++)
            {
                var update = random.Next(6) == 0
                    ? new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = random.Next(), OutputTokenCount = random.Next(3) == 0 ? null : random.Next() })] }
                    : new ChatResponseUpdate(random.Next(8) == 0 ? ChatRole.User : ChatRole.Assistant, RandomText(random, random.Next(4) == 0 ? 600 : 40));
                update.ModelId = random.Next(3) == 0 ? "m" + random.Next(3) : "m0";
                update.ResponseId = "r" + random.Next(2);
                update.CreatedAt = random.Next(4) == 0 ? null : Created.AddTicks(random.Next(3));
                update.FinishReason = i == count - 1 && random.Next(3) > 0 ? ChatFinishReason.Stop : null;
                if (i == 0 && random.Next(2) == 0)
                {
                    update.AdditionalProperties = new() { [ResiliencePipeline.ProviderProperty] = RandomText(random, 6) };
                }
                updates.Add(update);
            }

            var reference = ReferenceSerialize(ResponseCacheReplyTests.Normalized(updates, 256));
            var actual = ResponseCacheCodec.SerializeReply(updates, 256);

            Assert.Equal(Encoding.UTF8.GetString(reference), Encoding.UTF8.GetString(actual));
            Assert.Equal(reference, actual);
        }
    }

    /// <summary>Text of <paramref name="max"/> characters at most, drawn from plain ASCII, JSON's escapes, controls, HTML
    /// characters, Latin and CJK letters, emoji and lone surrogates.</summary>
    private static string RandomText(Random random, int max)
    {
        const string Pool = "abcdefghij KLMNOP 0123456789 \"\\/\n\r\t\b\f\u0000\u001f\u007f<>&'+`\u00e9\u00fc\u00a0\u2028\u4e2d\u0300";
        var text = new StringBuilder();
        var length = random.Next(0, max + 1);
        while (text.Length < length)
        {
            switch (random.Next(20))
            {
                case 0: text.Append("\ud83d\ude00"); break;
                case 1: text.Append(random.Next(2) == 0 ? '\ud83d' : '\ude00'); break;
                default: text.Append(Pool[random.Next(Pool.Length)]); break;
            }
        }
        return text.ToString();
    }

    /// <summary>The entry as the codec wrote it with <see cref="Utf8JsonWriter"/> up to session 16 (format 4).</summary>
    private static byte[] ReferenceSerialize(IReadOnlyList<ChatResponseUpdate> updates)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartArray();
            var previous = default(Carried);
            foreach (var update in updates)
            {
                w.WriteStartObject();
                WriteUpdate(w, update, update.FinishReason, ref previous);
                w.WriteStartArray("contents");
                foreach (var content in update.Contents)
                {
                    WriteContent(w, content);
                }
                w.WriteEndArray();
                if (update.AdditionalProperties is { Count: > 0 } properties)
                {
                    w.WriteStartObject("properties");
                    foreach (var (name, value) in properties)
                    {
                        w.WritePropertyName(name);
                        WriteValue(w, value);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteUpdate(Utf8JsonWriter w, ChatResponseUpdate update, ChatFinishReason? finish, ref Carried previous)
    {
        WriteIfChanged(w, "role", update.Role?.Value, ref previous.Role);
        WriteIfChanged(w, "author", update.AuthorName, ref previous.Author);
        WriteIfChanged(w, "response_id", update.ResponseId, ref previous.ResponseId);
        WriteIfChanged(w, "message_id", update.MessageId, ref previous.MessageId);
        WriteIfChanged(w, "model", update.ModelId, ref previous.Model);
        var created = update.CreatedAt;
        if (created is { } c ? previous.Created is not { } p || !c.EqualsExact(p) : previous.Created is not null)
        {
            previous.Created = created;
            if (created is { } value)
            {
                w.WriteString("created", value.ToString("O", CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("created");
            }
        }
        WriteIfChanged(w, "finish", finish?.Value, ref previous.Finish);
    }

    private static void WriteIfChanged(Utf8JsonWriter w, string name, string? value, ref string? previous)
    {
        if (string.Equals(value, previous, StringComparison.Ordinal))
        {
            return;
        }
        previous = value;
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteContent(Utf8JsonWriter w, AIContent content)
    {
        w.WriteStartObject();
        switch (content)
        {
            case TextContent text when text.GetType() == typeof(TextContent) && text.Annotations is not { Count: > 0 }:
                w.WriteString("text", text.Text);
                if (text.AdditionalProperties is { Count: > 0 } properties)
                {
                    w.WriteStartObject("properties");
                    foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(name);
                        WriteValue(w, value);
                    }
                    w.WriteEndObject();
                }
                break;
            case UsageContent usage when usage.GetType() == typeof(UsageContent) && usage.AdditionalProperties is not { Count: > 0 }:
                w.WriteStartObject("usage");
                var d = usage.Details;
                WriteIfSet(w, "input", d.InputTokenCount);
                WriteIfSet(w, "output", d.OutputTokenCount);
                WriteIfSet(w, "total", d.TotalTokenCount);
                WriteIfSet(w, "cached_input", d.CachedInputTokenCount);
                WriteIfSet(w, "reasoning", d.ReasoningTokenCount);
#pragma warning disable MEAI001
                WriteIfSet(w, "input_audio", d.InputAudioTokenCount);
                WriteIfSet(w, "input_text", d.InputTextTokenCount);
                WriteIfSet(w, "output_audio", d.OutputAudioTokenCount);
                WriteIfSet(w, "output_text", d.OutputTextTokenCount);
#pragma warning restore MEAI001
                if (d.AdditionalCounts is { Count: > 0 } counts)
                {
                    w.WriteStartObject("additional");
                    foreach (var (key, count) in counts)
                    {
                        w.WriteNumber(key, count);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                break;
            default:
                w.WritePropertyName("other");
                JsonSerializer.Serialize(w, content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent)));
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case float f: w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case JsonElement e: e.WriteTo(w); break;
            default: JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())); break;
        }
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private struct Carried
    {
        public string? Role;
        public string? Author;
        public string? ResponseId;
        public string? MessageId;
        public string? Model;
        public DateTimeOffset? Created;
        public string? Finish;
    }
}
