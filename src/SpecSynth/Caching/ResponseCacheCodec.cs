using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SpecSynth.Caching;

/// <summary>
/// The response cache's entry format (and the entry point of its key, <see cref="ResponseCacheKey"/>), written field by field with <see cref="Utf8JsonWriter"/> and read back with
/// <see cref="JsonDocument"/>: no reflection and no serializer over MEAI types on the common path (text and usage), which
/// keeps start-up free of hundreds of just-in-time compiled converters. Contents and values of other kinds (tools, images,
/// response formats, ...) fall back to <see cref="AIJsonUtilities.DefaultOptions"/>.
/// </summary>
internal static class ResponseCacheCodec
{
    [ThreadStatic]
    private static ThreadJsonWriter? t_writer;

    [ThreadStatic]
    private static List<ReplyEntry>? t_entries;

    /// <summary>The key: a SHA-256 (lower-case hex) over the messages, the options and <paramref name="additional"/>, fed field by
    /// field (<see cref="ResponseCacheKey"/>; options properties named <c>specsynth.*</c> are left out).</summary>
    public static string Key(IEnumerable<ChatMessage> messages, ChatOptions? options, IReadOnlyList<object> additional, IReadOnlyList<string> more) =>
        ResponseCacheKey.Of(messages, options, additional, more);

    /// <summary>An entry: the (already normalised) updates as a JSON array.</summary>
    public static byte[] Serialize(IReadOnlyList<ChatResponseUpdate> updates) =>
        WriteArray(updates, static (w, entries) =>
        {
            foreach (var update in entries)
            {
                w.WriteStartObject();
                WriteUpdate(w, update, update.FinishReason);
                WriteContents(w, "contents", update.Contents);
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
        });

    /// <summary>The entry of a reply, written straight from its updates as they streamed, normalised on the way (what
    /// <see cref="Serialize"/> writes for the normalised copies): text joined into chunks of about
    /// <paramref name="chunkChars"/> characters while the role stays the same (a text entry keeps only its text); every
    /// other content an entry of its own, in order; an update without contents kept only when it gives a finish reason;
    /// each entry with its update's role, author, ids, model and time; the last entry with the last finish reason given;
    /// the first with only the answering provider (<see cref="Middleware.ResiliencePipeline.ProviderProperty"/>) of its
    /// properties (headers, restart markers and per-run notes are not part of the reply).</summary>
    public static byte[] SerializeReply(IReadOnlyList<ChatResponseUpdate> updates, int chunkChars)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var entries = t_entries ?? new List<ReplyEntry>();
        t_entries = null; // taken: a nested call (none today) would make its own
        try
        {
            string? provider = null;
            ChatFinishReason? finish = null;
            var open = -1; // the entry whose text later text joins
            foreach (var update in updates)
            {
                if (update.AdditionalProperties?.TryGetValue(Middleware.ResiliencePipeline.ProviderProperty, out var p) == true && p is string name)
                {
                    provider ??= name;
                }
                finish = update.FinishReason ?? finish;
                var contents = update.Contents;
                for (var c = 0; c < contents.Count; c++)
                {
                    var content = contents[c];
                    if (content is TextContent { Text: var t } && open >= 0 && entries[open].Update.Role == update.Role
                        && entries[open].Text!.Length < chunkChars)
                    {
                        entries[open] = entries[open] with { Text = entries[open].Text + t };
                        continue;
                    }
                    entries.Add(new ReplyEntry(update, content, (content as TextContent)?.Text));
                    open = content is TextContent ? entries.Count - 1 : -1;
                }
                if (contents.Count == 0 && update.FinishReason is not null)
                {
                    entries.Add(new ReplyEntry(update, null, null));
                    open = -1;
                }
            }
            return WriteArray((Entries: entries, Finish: finish, Provider: provider), static (w, reply) =>
            {
                for (var i = 0; i < reply.Entries.Count; i++)
                {
                    var (update, content, text) = reply.Entries[i];
                    w.WriteStartObject();
                    WriteUpdate(w, update, i == reply.Entries.Count - 1 ? reply.Finish ?? update.FinishReason : update.FinishReason);
                    w.WriteStartArray("contents");
                    if (text is not null)
                    {
                        w.WriteStartObject();
                        w.WriteString("text", text);
                        w.WriteEndObject();
                    }
                    else if (content is not null)
                    {
                        WriteContent(w, content);
                    }
                    w.WriteEndArray();
                    if (i == 0 && reply.Provider is not null)
                    {
                        w.WriteStartObject("properties");
                        w.WriteString(Middleware.ResiliencePipeline.ProviderProperty, reply.Provider);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
            });
        }
        finally
        {
            entries.Clear();
            t_entries = entries;
        }
    }

    /// <summary>A JSON array whose items <paramref name="writeItems"/> writes from <paramref name="state"/>, through the
    /// thread's writer and buffer (reset for each entry; the entry is copied out).</summary>
    private static byte[] WriteArray<TState>(TState state, Action<Utf8JsonWriter, TState> writeItems)
    {
        var writer = ThreadJsonWriter.Start(ref t_writer);
        try
        {
            var w = writer.Json;
            w.WriteStartArray();
            writeItems(w, state);
            w.WriteEndArray();
            w.Flush();
            return writer.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            ThreadJsonWriter.Release(ref t_writer);
        }
    }

    /// <summary>An entry's fields from its update: role, author, ids, model, time and <paramref name="finish"/>.</summary>
    private static void WriteUpdate(Utf8JsonWriter w, ChatResponseUpdate update, ChatFinishReason? finish)
    {
        WriteIfSet(w, "role", update.Role?.Value);
        WriteIfSet(w, "author", update.AuthorName);
        WriteIfSet(w, "response_id", update.ResponseId);
        WriteIfSet(w, "message_id", update.MessageId);
        WriteIfSet(w, "model", update.ModelId);
        if (update.CreatedAt is { } created)
        {
            // The round-trip form ("O") is 33 characters at most: formatted in place, not as a string per update.
            Span<char> date = stackalloc char[48];
            _ = created.TryFormat(date, out var length, "O", CultureInfo.InvariantCulture);
            w.WriteString("created", date[..length]);
        }
        WriteIfSet(w, "finish", finish?.Value);
    }

    /// <summary>Reads an entry back; <c>null</c> when it is not in this format (treated as a miss).</summary>
    public static List<ChatResponseUpdate>? Deserialize(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var updates = new List<ChatResponseUpdate>(document.RootElement.GetArrayLength());
            foreach (var e in document.RootElement.EnumerateArray())
            {
                var update = new ChatResponseUpdate
                {
                    Role = String(e, "role") is { } role ? new ChatRole(role) : null,
                    AuthorName = String(e, "author"),
                    ResponseId = String(e, "response_id"),
                    MessageId = String(e, "message_id"),
                    ModelId = String(e, "model"),
                    CreatedAt = String(e, "created") is { } created ? DateTimeOffset.ParseExact(created, "O", CultureInfo.InvariantCulture, DateTimeStyles.None) : null,
                    FinishReason = String(e, "finish") is { } finish ? new ChatFinishReason(finish) : null,
                    Contents = ReadContents(e),
                };
                if (e.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    update.AdditionalProperties = [];
                    foreach (var p in properties.EnumerateObject())
                    {
                        update.AdditionalProperties[p.Name] = ReadValue(p.Value);
                    }
                }
                updates.Add(update);
            }
            return updates;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteContents(Utf8JsonWriter w, string name, IList<AIContent> contents)
    {
        w.WriteStartArray(name);
        foreach (var content in contents)
        {
            WriteContent(w, content);
        }
        w.WriteEndArray();
    }

    private static void WriteContent(Utf8JsonWriter w, AIContent content)
    {
        w.WriteStartObject();
        switch (content)
        {
            case TextContent text when text.GetType() == typeof(TextContent) && text.Annotations is not { Count: > 0 }:
                w.WriteString("text", text.Text);
                WriteProperties(w, text.AdditionalProperties);
                break;
            case UsageContent usage when usage.GetType() == typeof(UsageContent) && usage.AdditionalProperties is not { Count: > 0 }:
                w.WriteStartObject("usage");
                var d = usage.Details;
                WriteIfSet(w, "input", d.InputTokenCount);
                WriteIfSet(w, "output", d.OutputTokenCount);
                WriteIfSet(w, "total", d.TotalTokenCount);
                WriteIfSet(w, "cached_input", d.CachedInputTokenCount);
                WriteIfSet(w, "reasoning", d.ReasoningTokenCount);
#pragma warning disable MEAI001 // the audio/text splits are experimental; kept so an entry loses nothing
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

    private static List<AIContent> ReadContents(JsonElement update)
    {
        var contents = new List<AIContent>();
        if (!update.TryGetProperty("contents", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return contents;
        }
        foreach (var c in array.EnumerateArray())
        {
            if (c.TryGetProperty("text", out var text))
            {
                var content = new TextContent(text.GetString());
                if (c.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    content.AdditionalProperties = [];
                    foreach (var p in properties.EnumerateObject())
                    {
                        content.AdditionalProperties[p.Name] = ReadValue(p.Value);
                    }
                }
                contents.Add(content);
            }
            else if (c.TryGetProperty("usage", out var u))
            {
                var details = new UsageDetails
                {
                    InputTokenCount = Long(u, "input"),
                    OutputTokenCount = Long(u, "output"),
                    TotalTokenCount = Long(u, "total"),
                    CachedInputTokenCount = Long(u, "cached_input"),
                    ReasoningTokenCount = Long(u, "reasoning"),
#pragma warning disable MEAI001 // see above
                    InputAudioTokenCount = Long(u, "input_audio"),
                    InputTextTokenCount = Long(u, "input_text"),
                    OutputAudioTokenCount = Long(u, "output_audio"),
                    OutputTextTokenCount = Long(u, "output_text"),
#pragma warning restore MEAI001
                };
                if (u.TryGetProperty("additional", out var additional) && additional.ValueKind == JsonValueKind.Object)
                {
                    details.AdditionalCounts = [];
                    foreach (var p in additional.EnumerateObject())
                    {
                        details.AdditionalCounts[p.Name] = p.Value.GetInt64();
                    }
                }
                contents.Add(new UsageContent(details));
            }
            else if (c.TryGetProperty("other", out var other)
                && other.Deserialize(AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent))) is AIContent restored)
            {
                contents.Add(restored);
            }
        }
        return contents;
    }

    private static void WriteProperties(Utf8JsonWriter w, AdditionalPropertiesDictionary? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return;
        }
        w.WriteStartObject("properties");
        foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(name);
            WriteValue(w, value);
        }
        w.WriteEndObject();
    }

    /// <summary>A property value: primitives by hand, anything else through MEAI's serializer options.</summary>
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

    /// <summary>Stored property values come back as strings, booleans and numbers where they were, otherwise as the JSON element.</summary>
    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => value.Clone(),
    };

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>One entry of <see cref="SerializeReply"/>: the update it comes from, its one content (<c>null</c>: none)
    /// and, for text, the joined text.</summary>
    private readonly record struct ReplyEntry(ChatResponseUpdate Update, AIContent? Content, string? Text);
}
