using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// The user and assistant messages of a text-only prompt as the SDK's <see cref="MessageParam"/>s, made from JSON written
/// here in one pass. The SDK's chat adapter builds each text block, message and list as a model whose every property is
/// serialized to a <see cref="JsonElement"/> when set, and each level above serializes (and parses, validating every string
/// byte by byte after its first escape) the levels below again: a prompt's text was escaped and parsed some six times
/// before the request was written. A <see cref="MessageParam"/> made from an element is written as that element.
/// The JSON is what the adapter makes of the same messages (<c>{"role":…,"content":[{"type":"text","text":…}]}</c>, the
/// text's <c>cache_control</c> after it, an assistant's text trimmed at the end, blank texts and messages without a text
/// left out); the request's body is the same bytes, as its last writer escapes every string anew.
/// </summary>
internal static class AnthropicMessageParams
{
    /// <summary>Where <c>WithCacheControl</c> keeps a block's cache control (the SDK reads it with an internal method).</summary>
    private const string CacheControlKey = "anthropic:cache_control";

    /// <summary>The largest buffer kept for the thread's next request.</summary>
    private const int RetainedBytes = 1 << 20;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? scratch;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The request's parameters ready for the adapter: <paramref name="system"/> (the leading system messages, which
    /// the adapter still converts, so the system prompt goes where and as it went) and <paramref name="prepared"/> (a copy of
    /// <paramref name="options"/> whose <see cref="ChatOptions.RawRepresentationFactory"/> starts the request from the other
    /// messages, made here). <c>false</c> when the prompt holds anything the adapter converts otherwise (non-text content, a
    /// block with a raw representation, a system message after another message) or no text to send: then the adapter gets
    /// the prompt as it is.</summary>
    /// <param name="messages">The prompt (cache breakpoints already placed).</param>
    /// <param name="options">The request's options; not modified.</param>
    /// <param name="model">The adapter's default model (sent when the options name none).</param>
    /// <param name="maxTokens">The adapter's default output limit (sent when the options set none).</param>
    /// <param name="system">The messages to hand the adapter.</param>
    /// <param name="prepared">The options to hand the adapter.</param>
    public static bool TryPrepare(IEnumerable<ChatMessage> messages, ChatOptions? options, string model, int maxTokens,
        out IEnumerable<ChatMessage> system, out ChatOptions? prepared)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        (system, prepared) = (list, options);
        var first = 0;
        while (first < list.Count && list[first].Role == ChatRole.System)
        {
            first++;
        }
        if (first == list.Count || !OnlyText(list, first))
        {
            return false;
        }
        var converted = Convert(list, first);
        if (converted.Count == 0)
        {
            return false;
        }
        var factory = options?.RawRepresentationFactory;
        var copy = options?.Clone() ?? new ChatOptions();
        copy.RawRepresentationFactory = client => Start(factory?.Invoke(client), converted, options, model, maxTokens);
        system = first == 0 ? [] : Leading(list, first);
        prepared = copy;
        return true;
    }

    /// <summary>What the adapter would start from: the factory's parameters (their messages first) or new ones, as it
    /// makes them, with the converted messages.</summary>
    private static MessageCreateParams Start(object? raw, List<MessageParam> converted, ChatOptions? options, string model, int maxTokens)
    {
        if (raw is MessageCreateParams given)
        {
            var before = given.Messages;
            return given with { Messages = before.Count == 0 ? converted : [.. before, .. converted] };
        }
        return new MessageCreateParams
        {
            MaxTokens = options?.MaxOutputTokens ?? maxTokens,
            Messages = converted,
            Model = options?.ModelId ?? model,
        };
    }

    private static bool OnlyText(IReadOnlyList<ChatMessage> list, int first)
    {
        for (var m = first; m < list.Count; m++)
        {
            if (list[m].Role == ChatRole.System)
            {
                return false;
            }
            var contents = list[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is not TextContent { RawRepresentation: null })
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<ChatMessage> Leading(IReadOnlyList<ChatMessage> list, int count)
    {
        var leading = new List<ChatMessage>(count);
        for (var m = 0; m < count; m++)
        {
            leading.Add(list[m]);
        }
        return leading;
    }

    private static List<MessageParam> Convert(IReadOnlyList<ChatMessage> list, int first)
    {
        // The JSON is copied when parsed: the buffer and writer are kept per thread for the next request, unless the
        // buffer grew past RetainedBytes.
        var (buffer, writer) = scratch ??= (new ArrayBufferWriter<byte>(4096), new Utf8JsonWriter(Stream.Null, WriterOptions));
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var count = 0;
        writer.WriteStartArray();
        for (var m = first; m < list.Count; m++)
        {
            count += Write(writer, list[m]) ? 1 : 0;
        }
        writer.WriteEndArray();
        writer.Flush();
        var converted = new List<MessageParam>(count);
        foreach (var element in JsonElement.Parse(buffer.WrittenSpan).EnumerateArray())
        {
            converted.Add(new MessageParam(element));
        }
        writer.Reset(Stream.Null);
        if (buffer.Capacity > RetainedBytes)
        {
            scratch = null;
        }
        return converted;
    }

    /// <summary>Writes the message as the adapter converts it, unless it has no text to send.</summary>
    private static bool Write(Utf8JsonWriter writer, ChatMessage message)
    {
        var assistant = message.Role == ChatRole.Assistant;
        var contents = message.Contents;
        var started = false;
        for (var c = 0; c < contents.Count; c++)
        {
            var content = (TextContent)contents[c];
            var text = assistant ? content.Text.TrimEnd() : content.Text;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (!started)
            {
                started = true;
                writer.WriteStartObject();
                writer.WriteString("role"u8, assistant ? "assistant"u8 : "user"u8);
                writer.WriteStartArray("content"u8);
            }
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, text);
            if (content.AdditionalProperties?.TryGetValue(CacheControlKey, out var value) == true && value is CacheControlEphemeral cacheControl)
            {
                writer.WritePropertyName("cache_control"u8);
                JsonSerializer.Serialize(writer, cacheControl);
            }
            writer.WriteEndObject();
        }
        if (started)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return started;
    }
}
