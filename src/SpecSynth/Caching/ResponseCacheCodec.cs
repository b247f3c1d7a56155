using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SpecSynth.Caching;

/// <summary>
/// The response cache's entry format (and the entry point of its key, <see cref="ResponseCacheKey"/>), written field by field with <see cref="Utf8JsonWriter"/> and read back with
/// <see cref="JsonDocument"/>: no reflection and no serializer over MEAI types on the common path (text and usage), which
/// keeps start-up free of hundreds of just-in-time compiled converters. Contents and values of other kinds (tools, images,
/// response formats, ...) fall back to <see cref="AIJsonUtilities.DefaultOptions"/>. Format 4 (session 15, issue 19): an
/// entry's role, author, ids, model, time and finish reason are written where they differ from the previous entry's, and
/// only what JSON requires is escaped (a short reply's entry 572 → ~280 bytes); entries of format 3 have other keys
/// (<see cref="ResponseCache.FormatVersion"/> is in every key), so they are never read as format 4.
/// </summary>
internal static class ResponseCacheCodec
{
    /// <summary>The most text pieces (one per streamed update) a thread's list keeps room for between replies.</summary>
    private const int KeptPieces = 4096;

    [ThreadStatic]
    private static ThreadJsonWriter? t_writer;

    [ThreadStatic]
    private static List<ReplyEntry>? t_entries;

    [ThreadStatic]
    private static List<string>? t_pieces;

    /// <summary>The entry writer's options: only what JSON requires is escaped (quotes, backslashes, control characters;
    /// format 4, issue 19: the default encoder wrote every non-ASCII character and each of <c>&lt; &gt; &amp; ' + `</c> as six
    /// bytes, which code is full of; an entry is read back by <see cref="JsonDocument"/>, never put in a page), without the
    /// writer's structure checks (the codec writes whole objects and arrays by construction; the checks cost some work per token).</summary>
    private static readonly JsonWriterOptions EntryWriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The key: a SHA-256 (lower-case hex) over the messages, the options and <paramref name="additional"/>, fed field by
    /// field (<see cref="ResponseCacheKey"/>; options properties named <c>specsynth.*</c> are left out).</summary>
    public static string Key(IEnumerable<ChatMessage> messages, ChatOptions? options, IReadOnlyList<object> additional, IReadOnlyList<string> more) =>
        ResponseCacheKey.Of(messages, options, additional, more);

    /// <summary>An entry: the (already normalised) updates as a JSON array.</summary>
    public static byte[] Serialize(IReadOnlyList<ChatResponseUpdate> updates) =>
        WriteArray(updates, static (w, entries) =>
        {
            var previous = default(Carried);
            foreach (var update in entries)
            {
                w.WriteStartObject();
                WriteUpdate(w, update, update.FinishReason, ref previous);
                WriteContents(w, N.Contents, update.Contents);
                if (update.AdditionalProperties is { Count: > 0 } properties)
                {
                    w.WriteStartObject(N.Properties);
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
        var pieces = t_pieces ?? new List<string>();
        t_pieces = null;
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
                        && entries[open].TextLength < chunkChars)
                    {
                        // Joined as pieces (copied together once when written): no string per joined update, where
                        // concatenating copied the growing chunk once per token.
                        pieces.Add(t ?? "");
                        entries[open] = entries[open] with { Pieces = entries[open].Pieces + 1, TextLength = entries[open].TextLength + (t?.Length ?? 0) };
                        continue;
                    }
                    if (content is TextContent { Text: var first })
                    {
                        entries.Add(new ReplyEntry(update, content, pieces.Count, 1, first?.Length ?? 0));
                        pieces.Add(first ?? "");
                        open = entries.Count - 1;
                    }
                    else
                    {
                        entries.Add(new ReplyEntry(update, content, 0, 0, 0));
                        open = -1;
                    }
                }
                if (contents.Count == 0 && update.FinishReason is not null)
                {
                    entries.Add(new ReplyEntry(update, null, 0, 0, 0));
                    open = -1;
                }
            }
            return WriteArray((Entries: entries, Pieces: pieces, Finish: finish, Provider: provider), static (w, reply) =>
            {
                var previous = default(Carried);
                for (var i = 0; i < reply.Entries.Count; i++)
                {
                    var (update, content, firstPiece, pieceCount, textLength) = reply.Entries[i];
                    w.WriteStartObject();
                    WriteUpdate(w, update, i == reply.Entries.Count - 1 ? reply.Finish ?? update.FinishReason : update.FinishReason, ref previous);
                    w.WriteStartArray(N.Contents);
                    if (pieceCount > 0)
                    {
                        w.WriteStartObject();
                        WriteJoined(w, reply.Pieces, firstPiece, pieceCount, textLength);
                        w.WriteEndObject();
                    }
                    else if (content is not null)
                    {
                        WriteContent(w, content);
                    }
                    w.WriteEndArray();
                    if (i == 0 && reply.Provider is not null)
                    {
                        w.WriteStartObject(N.Properties);
                        w.WriteString(N.Provider, reply.Provider);
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
            pieces.Clear();
            // A very long reply's list is not kept by the thread (the entries' list is small: one per ~256 characters).
            t_pieces = pieces.Capacity <= KeptPieces ? pieces : null;
        }
    }

    /// <summary>The <c>text</c> field of a joined entry: <paramref name="count"/> pieces from <paramref name="first"/>, copied into
    /// one pooled buffer and written as one string (the bytes of their concatenation, without making it).</summary>
    private static void WriteJoined(Utf8JsonWriter w, List<string> pieces, int first, int count, int length)
    {
        if (count == 1)
        {
            w.WriteString(N.Text, pieces[first]);
            return;
        }
        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var used = 0;
            for (var i = 0; i < count; i++)
            {
                var piece = pieces[first + i];
                piece.CopyTo(buffer.AsSpan(used));
                used += piece.Length;
            }
            w.WriteString(N.Text, buffer.AsSpan(0, used));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>A JSON array whose items <paramref name="writeItems"/> writes from <paramref name="state"/>, through the
    /// thread's writer and buffer (reset for each entry; the entry is copied out).</summary>
    private static byte[] WriteArray<TState>(TState state, Action<Utf8JsonWriter, TState> writeItems)
    {
        var writer = ThreadJsonWriter.Start(ref t_writer, EntryWriterOptions);
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

    /// <summary>An entry's fields from its update: role, author, ids, model, time and <paramref name="finish"/>, each only
    /// where it differs from <paramref name="previous"/> entry's (a value that becomes unset is written as <c>null</c>; format
    /// 4, issue 19: a streamed reply's entries repeat them all, about half of a short entry's bytes).</summary>
    private static void WriteUpdate(Utf8JsonWriter w, ChatResponseUpdate update, ChatFinishReason? finish, ref Carried previous)
    {
        WriteIfChanged(w, N.Role, update.Role?.Value, ref previous.Role);
        WriteIfChanged(w, N.Author, update.AuthorName, ref previous.Author);
        WriteIfChanged(w, N.ResponseId, update.ResponseId, ref previous.ResponseId);
        WriteIfChanged(w, N.MessageId, update.MessageId, ref previous.MessageId);
        WriteIfChanged(w, N.Model, update.ModelId, ref previous.Model);
        var created = update.CreatedAt;
        if (created is { } c ? previous.Created is not { } p || !c.EqualsExact(p) : previous.Created is not null)
        {
            previous.Created = created;
            if (created is { } value)
            {
                // The round-trip form ("O") is 33 characters at most: formatted in place, not as a string per update.
                Span<char> date = stackalloc char[48];
                _ = value.TryFormat(date, out var length, "O", CultureInfo.InvariantCulture);
                w.WriteString(N.Created, date[..length]);
            }
            else
            {
                w.WriteNull(N.Created);
            }
        }
        WriteIfChanged(w, N.Finish, finish?.Value, ref previous.Finish);
    }

    private static void WriteIfChanged(Utf8JsonWriter w, JsonEncodedText name, string? value, ref string? previous)
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

    /// <summary>The fields an entry has unless it gives them (<see cref="WriteUpdate"/>): the previous entry's.</summary>
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
            var carried = default(Carried);
            foreach (var e in document.RootElement.EnumerateArray())
            {
                // A field an entry leaves out is the previous entry's (WriteUpdate).
                carried.Role = Carry(e, "role", carried.Role);
                carried.Author = Carry(e, "author", carried.Author);
                carried.ResponseId = Carry(e, "response_id", carried.ResponseId);
                carried.MessageId = Carry(e, "message_id", carried.MessageId);
                carried.Model = Carry(e, "model", carried.Model);
                if (e.TryGetProperty("created", out var created))
                {
                    carried.Created = created.ValueKind == JsonValueKind.String
                        ? DateTimeOffset.ParseExact(created.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.None)
                        : null;
                }
                carried.Finish = Carry(e, "finish", carried.Finish);
                var update = new ChatResponseUpdate
                {
                    Role = carried.Role is { } role ? new ChatRole(role) : null,
                    AuthorName = carried.Author,
                    ResponseId = carried.ResponseId,
                    MessageId = carried.MessageId,
                    ModelId = carried.Model,
                    CreatedAt = carried.Created,
                    FinishReason = carried.Finish is { } finish ? new ChatFinishReason(finish) : null,
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

    private static void WriteContents(Utf8JsonWriter w, JsonEncodedText name, IList<AIContent> contents)
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
                w.WriteString(N.Text, text.Text);
                WriteProperties(w, text.AdditionalProperties);
                break;
            case UsageContent usage when usage.GetType() == typeof(UsageContent) && usage.AdditionalProperties is not { Count: > 0 }:
                w.WriteStartObject(N.Usage);
                var d = usage.Details;
                WriteIfSet(w, N.Input, d.InputTokenCount);
                WriteIfSet(w, N.Output, d.OutputTokenCount);
                WriteIfSet(w, N.Total, d.TotalTokenCount);
                WriteIfSet(w, N.CachedInput, d.CachedInputTokenCount);
                WriteIfSet(w, N.Reasoning, d.ReasoningTokenCount);
#pragma warning disable MEAI001 // the audio/text splits are experimental; kept so an entry loses nothing
                WriteIfSet(w, N.InputAudio, d.InputAudioTokenCount);
                WriteIfSet(w, N.InputText, d.InputTextTokenCount);
                WriteIfSet(w, N.OutputAudio, d.OutputAudioTokenCount);
                WriteIfSet(w, N.OutputText, d.OutputTextTokenCount);
#pragma warning restore MEAI001
                if (d.AdditionalCounts is { Count: > 0 } counts)
                {
                    w.WriteStartObject(N.Additional);
                    foreach (var (key, count) in counts)
                    {
                        w.WriteNumber(key, count);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                break;
            default:
                w.WritePropertyName(N.Other);
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
        w.WriteStartObject(N.Properties);
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

    private static void WriteIfSet(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter w, JsonEncodedText name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <summary>The field <paramref name="name"/> of <paramref name="e"/> (a string, or <c>null</c> when written as null)
    /// when it is there, else <paramref name="previous"/>.</summary>
    private static string? Carry(JsonElement e, string name, string? previous) =>
        e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : null) : previous;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>One entry of <see cref="SerializeReply"/>: the update it comes from, its one content (<c>null</c>: none)
    /// and, for text, where its joined pieces are (<paramref name="Pieces"/> from <paramref name="FirstPiece"/>; none for
    /// another content) and their length in characters.</summary>
    private readonly record struct ReplyEntry(ChatResponseUpdate Update, AIContent? Content, int FirstPiece, int Pieces, int TextLength);

    /// <summary>The property names the entries are written with, encoded once (plain ASCII: the bytes of the strings).</summary>
    private static class N
    {
        public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
        public static readonly JsonEncodedText Author = JsonEncodedText.Encode("author");
        public static readonly JsonEncodedText ResponseId = JsonEncodedText.Encode("response_id");
        public static readonly JsonEncodedText MessageId = JsonEncodedText.Encode("message_id");
        public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
        public static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
        public static readonly JsonEncodedText Finish = JsonEncodedText.Encode("finish");
        public static readonly JsonEncodedText Contents = JsonEncodedText.Encode("contents");
        public static readonly JsonEncodedText Text = JsonEncodedText.Encode("text");
        public static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
        public static readonly JsonEncodedText Usage = JsonEncodedText.Encode("usage");
        public static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
        public static readonly JsonEncodedText Output = JsonEncodedText.Encode("output");
        public static readonly JsonEncodedText Total = JsonEncodedText.Encode("total");
        public static readonly JsonEncodedText CachedInput = JsonEncodedText.Encode("cached_input");
        public static readonly JsonEncodedText Reasoning = JsonEncodedText.Encode("reasoning");
        public static readonly JsonEncodedText InputAudio = JsonEncodedText.Encode("input_audio");
        public static readonly JsonEncodedText InputText = JsonEncodedText.Encode("input_text");
        public static readonly JsonEncodedText OutputAudio = JsonEncodedText.Encode("output_audio");
        public static readonly JsonEncodedText OutputText = JsonEncodedText.Encode("output_text");
        public static readonly JsonEncodedText Additional = JsonEncodedText.Encode("additional");
        public static readonly JsonEncodedText Other = JsonEncodedText.Encode("other");
        public static readonly JsonEncodedText Provider = JsonEncodedText.Encode(Middleware.ResiliencePipeline.ProviderProperty);
    }
}
