using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Usage;

namespace SpecSynth.Caching;

/// <summary>
/// The response cache's entry format (and the entry point of its key, <see cref="ResponseCacheKey"/>), written field by field
/// straight to UTF-8 (<see cref="RelaxedJsonBytes"/>: the bytes a <see cref="Utf8JsonWriter"/> with <see cref="EntryWriterOptions"/>
/// wrote for them up to session 16, without its escaping state machine and encoder calls; session 17, issue 19) and read back
/// with <see cref="JsonDocument"/>: no reflection and no serializer over MEAI types on the common path (text and usage), which
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
    private static RelaxedJsonBytes? t_entry;

    /// <summary>The writer of values the entry's own writer leaves to <see cref="Utf8JsonWriter"/> (<see cref="WriteSerialized"/>).</summary>
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
    public static byte[] Serialize(IReadOnlyList<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var json = RelaxedJsonBytes.Start(ref t_entry);
        try
        {
            json.Raw("["u8);
            var previous = default(Carried);
            for (var i = 0; i < updates.Count; i++)
            {
                var update = updates[i];
                json.Raw(i == 0 ? "{"u8 : ",{"u8);
                var first = true;
                WriteUpdate(json, update, update.FinishReason, ref previous, ref first);
                Name(json, "\"contents\":["u8, ref first);
                for (var c = 0; c < update.Contents.Count; c++)
                {
                    if (c > 0)
                    {
                        json.Raw(","u8);
                    }
                    WriteContent(json, update.Contents[c]);
                }
                json.Raw("]"u8);
                if (update.AdditionalProperties is { Count: > 0 } properties)
                {
                    json.Raw(",\"properties\":{"u8);
                    var firstProperty = true;
                    foreach (var (name, value) in properties)
                    {
                        WriteProperty(json, name, value, ref firstProperty);
                    }
                    json.Raw("}"u8);
                }
                json.Raw("}"u8);
            }
            json.Raw("]"u8);
            return json.Written.ToArray();
        }
        finally
        {
            RelaxedJsonBytes.Release(ref t_entry);
        }
    }

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
            return WriteReply(entries, pieces, finish, provider);
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

    /// <summary>The entry of <see cref="SerializeReply"/>'s <paramref name="entries"/>, in the thread's buffer, copied out.</summary>
    private static byte[] WriteReply(List<ReplyEntry> entries, List<string> pieces, ChatFinishReason? finish, string? provider)
    {
        var json = RelaxedJsonBytes.Start(ref t_entry);
        try
        {
            json.Raw("["u8);
            var previous = default(Carried);
            for (var i = 0; i < entries.Count; i++)
            {
                var (update, content, firstPiece, pieceCount, textLength) = entries[i];
                json.Raw(i == 0 ? "{"u8 : ",{"u8);
                var first = true;
                WriteUpdate(json, update, i == entries.Count - 1 ? finish ?? update.FinishReason : update.FinishReason, ref previous, ref first);
                Name(json, "\"contents\":["u8, ref first);
                if (pieceCount > 0)
                {
                    json.Raw("{\"text\":"u8);
                    WriteJoined(json, pieces, firstPiece, pieceCount, textLength);
                    json.Raw("}"u8);
                }
                else if (content is not null)
                {
                    WriteContent(json, content);
                }
                json.Raw("]"u8);
                if (i == 0 && provider is not null)
                {
                    json.Raw(",\"properties\":{"u8);
                    json.String(Middleware.ResiliencePipeline.ProviderProperty);
                    json.Raw(":"u8);
                    json.String(provider);
                    json.Raw("}"u8);
                }
                json.Raw("}"u8);
            }
            json.Raw("]"u8);
            return json.Written.ToArray();
        }
        finally
        {
            RelaxedJsonBytes.Release(ref t_entry);
        }
    }

    /// <summary>The value of a joined entry's <c>text</c>: <paramref name="count"/> pieces from <paramref name="first"/>, copied
    /// into one pooled buffer and written as one string (the bytes of their concatenation, without making it).</summary>
    private static void WriteJoined(RelaxedJsonBytes json, List<string> pieces, int first, int count, int length)
    {
        if (count == 1)
        {
            json.String(pieces[first]);
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
            json.String(buffer.AsSpan(0, used));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the comma that separates a field from the one before it (none before the first), then
    /// <paramref name="name"/> (the quoted name and its colon, and what opens the value if any).</summary>
    private static void Name(RelaxedJsonBytes json, ReadOnlySpan<byte> name, ref bool first)
    {
        if (!first)
        {
            json.Raw(","u8);
        }
        first = false;
        json.Raw(name);
    }

    /// <summary>An entry's fields from its update: role, author, ids, model, time and <paramref name="finish"/>, each only
    /// where it differs from <paramref name="previous"/> entry's (a value that becomes unset is written as <c>null</c>; format
    /// 4, issue 19: a streamed reply's entries repeat them all, about half of a short entry's bytes).</summary>
    private static void WriteUpdate(RelaxedJsonBytes json, ChatResponseUpdate update, ChatFinishReason? finish, ref Carried previous, ref bool first)
    {
        WriteIfChanged(json, "\"role\":"u8, update.Role?.Value, ref previous.Role, ref first);
        WriteIfChanged(json, "\"author\":"u8, update.AuthorName, ref previous.Author, ref first);
        WriteIfChanged(json, "\"response_id\":"u8, update.ResponseId, ref previous.ResponseId, ref first);
        WriteIfChanged(json, "\"message_id\":"u8, update.MessageId, ref previous.MessageId, ref first);
        WriteIfChanged(json, "\"model\":"u8, update.ModelId, ref previous.Model, ref first);
        var created = update.CreatedAt;
        if (created is { } c ? previous.Created is not { } p || !c.EqualsExact(p) : previous.Created is not null)
        {
            previous.Created = created;
            Name(json, "\"created\":"u8, ref first);
            if (created is { } value)
            {
                // The round-trip form ("O") is 33 characters at most: formatted in place, not as a string per update.
                Span<char> date = stackalloc char[48];
                _ = value.TryFormat(date, out var length, "O", CultureInfo.InvariantCulture);
                json.String(date[..length]);
            }
            else
            {
                json.Null();
            }
        }
        WriteIfChanged(json, "\"finish\":"u8, finish?.Value, ref previous.Finish, ref first);
    }

    private static void WriteIfChanged(RelaxedJsonBytes json, ReadOnlySpan<byte> name, string? value, ref string? previous, ref bool first)
    {
        if (string.Equals(value, previous, StringComparison.Ordinal))
        {
            return;
        }
        previous = value;
        Name(json, name, ref first);
        json.StringOrNull(value);
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

    private static void WriteContent(RelaxedJsonBytes json, AIContent content)
    {
        switch (content)
        {
            case TextContent text when text.GetType() == typeof(TextContent) && text.Annotations is not { Count: > 0 }:
                json.Raw("{\"text\":"u8);
                json.StringOrNull(text.Text);
                WriteProperties(json, text.AdditionalProperties);
                break;
            case UsageContent usage when usage.GetType() == typeof(UsageContent) && usage.AdditionalProperties is not { Count: > 0 }:
                json.Raw("{\"usage\":{"u8);
                var d = usage.Details;
                var first = true;
                WriteIfSet(json, "\"input\":"u8, d.InputTokenCount, ref first);
                WriteIfSet(json, "\"output\":"u8, d.OutputTokenCount, ref first);
                WriteIfSet(json, "\"total\":"u8, d.TotalTokenCount, ref first);
                WriteIfSet(json, "\"cached_input\":"u8, d.CachedInputTokenCount, ref first);
                WriteIfSet(json, "\"reasoning\":"u8, d.ReasoningTokenCount, ref first);
#pragma warning disable MEAI001 // the audio/text splits are experimental; kept so an entry loses nothing
                WriteIfSet(json, "\"input_audio\":"u8, d.InputAudioTokenCount, ref first);
                WriteIfSet(json, "\"input_text\":"u8, d.InputTextTokenCount, ref first);
                WriteIfSet(json, "\"output_audio\":"u8, d.OutputAudioTokenCount, ref first);
                WriteIfSet(json, "\"output_text\":"u8, d.OutputTextTokenCount, ref first);
#pragma warning restore MEAI001
                if (d.AdditionalCounts is { Count: > 0 } counts)
                {
                    Name(json, "\"additional\":{"u8, ref first);
                    var firstCount = true;
                    foreach (var (key, count) in counts)
                    {
                        if (!firstCount)
                        {
                            json.Raw(","u8);
                        }
                        firstCount = false;
                        json.String(key);
                        json.Raw(":"u8);
                        json.Number(count);
                    }
                    json.Raw("}"u8);
                }
                json.Raw("}"u8);
                break;
            default:
                json.Raw("{\"other\":"u8);
                WriteSerialized(json, content, typeof(AIContent));
                break;
        }
        json.Raw("}"u8);
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

    private static void WriteProperties(RelaxedJsonBytes json, AdditionalPropertiesDictionary? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return;
        }
        json.Raw(",\"properties\":{"u8);
        var first = true;
        foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteProperty(json, name, value, ref first);
        }
        json.Raw("}"u8);
    }

    /// <summary>A property of a <c>properties</c> object: its name, then its value (primitives by hand, anything else through
    /// MEAI's serializer options).</summary>
    private static void WriteProperty(RelaxedJsonBytes json, string name, object? value, ref bool first)
    {
        if (!first)
        {
            json.Raw(","u8);
        }
        first = false;
        json.String(name);
        json.Raw(":"u8);
        switch (value)
        {
            case null: json.Null(); break;
            case string s: json.String(s); break;
            case bool b: json.Boolean(b); break;
            case int i: json.Number(i); break;
            case long l: json.Number(l); break;
            default: WriteSerialized(json, value, value.GetType()); break;
        }
    }

    /// <summary>A value of any other kind (a number of another type, a JSON element, a content or object MEAI serializes),
    /// written by the thread's <see cref="Utf8JsonWriter"/> with the entry's options, and its bytes copied: what the
    /// writer wrote for it inside the entry before.</summary>
    private static void WriteSerialized(RelaxedJsonBytes json, object value, Type type)
    {
        var writer = ThreadJsonWriter.Start(ref t_writer, EntryWriterOptions);
        try
        {
            var w = writer.Json;
            switch (value)
            {
                case double d: w.WriteNumberValue(d); break;
                case float f: w.WriteNumberValue(f); break;
                case decimal m: w.WriteNumberValue(m); break;
                case JsonElement e: e.WriteTo(w); break;
                default: JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type)); break;
            }
            w.Flush();
            json.Raw(writer.Buffer.WrittenSpan);
        }
        finally
        {
            ThreadJsonWriter.Release(ref t_writer);
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

    private static void WriteIfSet(RelaxedJsonBytes json, ReadOnlySpan<byte> name, long? value, ref bool first)
    {
        if (value is { } v)
        {
            Name(json, name, ref first);
            json.Number(v);
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
}
