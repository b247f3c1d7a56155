using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Projects;
using SpecSynth.Providers;

namespace SpecSynth.Telemetry;

/// <summary>
/// Just inside MEAI's <see cref="OpenTelemetryChatClient"/> (the <c>chat {model}</c> span of one provider attempt): adds what
/// that span leaves out, the provider name when the client reports none, the cache write tokens
/// (<c>gen_ai.usage.cache_creation.input_tokens</c>) and the cache read tokens, and, only when asked
/// (<c>[telemetry] include_content</c>), the prompt and reply as <c>gen_ai.input.messages</c> /
/// <c>gen_ai.output.messages</c>, redacted like the audit log. Passes everything through unchanged.
/// </summary>
internal sealed class ChatSpanDetailsChatClient(IChatClient inner, string provider, bool includeContent) : DelegatingChatClient(inner)
{
    public const string CacheReadTokens = "gen_ai.usage.cache_read.input_tokens";
    public const string CacheWriteTokens = "gen_ai.usage.cache_creation.input_tokens";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var span = ChatSpan();
        var sent = includeContent && span is not null ? messages as IReadOnlyList<ChatMessage> ?? [.. messages] : null;
        if (span is not null)
        {
            Begin(span, sent ?? messages);
        }
        var response = await base.GetResponseAsync(sent ?? messages, options, cancellationToken).ConfigureAwait(false);
        if (span is not null)
        {
            End(span, response.Usage, response.Text);
        }
        return response;
    }

    /// <remarks>Without a span (nobody listens) the inner stream is handed out as it is: no layer of its own per update.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        // Taken when MEAI's chat layer calls in, while its span is the current one (later steps run in the caller's context).
        ChatSpan() is { } span
            ? Detailed(span, messages, options, cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> Detailed(Activity span, IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sent = includeContent ? messages as IReadOnlyList<ChatMessage> ?? [.. messages] : null;
        Begin(span, sent ?? messages);
        var text = includeContent ? new StringBuilder() : null;
        UsageDetails? usage = null;
        await foreach (var update in base.GetStreamingResponseAsync(sent ?? messages, options, cancellationToken).ConfigureAwait(false))
        {
            text?.Append(update.Text);
            foreach (var u in update.Contents.OfType<UsageContent>())
            {
                usage ??= new UsageDetails();
                usage.Add(u.Details);
            }
            yield return update;
        }
        End(span, usage, text?.ToString());
    }

    /// <summary>The current chat span of specsynth's source, or <c>null</c> (nobody listens, or another layer's span).</summary>
    private static Activity? ChatSpan() =>
        Activity.Current is { Source.Name: SpecSynthTelemetry.ActivitySourceName } current
        && current.OperationName.StartsWith("chat", StringComparison.Ordinal) ? current : null;

    private void Begin(Activity span, IEnumerable<ChatMessage> messages)
    {
        if (span.GetTagItem("gen_ai.provider.name") is null)
        {
            span.SetTag("gen_ai.provider.name", provider);
        }
        span.SetTag("specsynth.provider", provider);
        if (includeContent)
        {
            span.SetTag("gen_ai.input.messages", Messages(messages.Select(m => (m.Role.Value, m.Text))));
        }
    }

    private void End(Activity span, UsageDetails? usage, string? reply)
    {
        if (usage is not null)
        {
            var tokens = UsageMapper.FromUsageDetails(usage);
            span.SetTag(CacheReadTokens, tokens.CacheReadTokens);
            span.SetTag(CacheWriteTokens, tokens.CacheWriteTokens);
        }
        if (includeContent && reply is not null)
        {
            span.SetTag("gen_ai.output.messages", Messages([("assistant", reply)]));
        }
    }

    /// <summary>The messages in the semantic conventions' JSON shape (role and text parts), every text redacted.</summary>
    private static string Messages(IEnumerable<(string Role, string Text)> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (role, text) in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", role);
                json.WriteStartArray("parts");
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("content", SecretRedactor.Redact(text));
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
