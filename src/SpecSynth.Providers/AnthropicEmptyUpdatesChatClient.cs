using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// Leaves out the updates of an Anthropic stream that carry nothing. The SDK's adapter yields one update per event:
/// besides the text deltas, <c>message_start</c>, <c>content_block_start</c> (an empty text), <c>content_block_stop</c> and
/// <c>message_stop</c> come up as updates with no content (every later update repeats their message and model ids), and
/// each of them went through every layer of the pipeline (7 updates for a one-delta reply, against 3 for OpenAI's).
/// An update is left out when it has no content but empty text, the same finish reason as the last update passed on (the
/// first one with a finish reason, <c>message_delta</c>'s, is always passed on: its raw event holds the stop reason
/// <see cref="FinishReasonCorrector"/> reads), and less than <see cref="Heartbeat"/> has gone by since the last update passed
/// on (or since the stream began): an idle watch above still hears the stream within that much of when it did. A stream of
/// nothing but such updates still ends with one of them. Sits directly over the Anthropic SDK client.
/// </summary>
internal sealed class AnthropicEmptyUpdatesChatClient(IChatClient inner, TimeProvider time) : DelegatingChatClient(inner)
{
    /// <summary>The longest an empty update is held back from the layers above (a sign of life for their idle watch).</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WithoutEmptyAsync(base.GetStreamingResponseAsync(messages, options, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> WithoutEmptyAsync(IAsyncEnumerable<ChatResponseUpdate> updates,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var passed = time.GetTimestamp(); // the stream begins with the first read, when the request goes
        var any = false;
        ChatFinishReason? finish = null;
        ChatResponseUpdate? held = null;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (IsEmpty(update) && update.FinishReason == finish && time.GetElapsedTime(passed) < Heartbeat)
            {
                held = update;
                continue;
            }
            held = null;
            any = true;
            finish = update.FinishReason;
            passed = time.GetTimestamp();
            yield return update;
        }
        if (!any && held is not null)
        {
            yield return held;
        }
    }

    /// <summary>Whether <paramref name="update"/> carries no content but empty text (and nothing of its own besides the ids
    /// and time every update of the stream carries).</summary>
    internal static bool IsEmpty(ChatResponseUpdate update)
    {
        if (update.AdditionalProperties is { Count: > 0 })
        {
            return false;
        }
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not TextContent { Text.Length: 0, Annotations: null or { Count: 0 }, AdditionalProperties: null or { Count: 0 } })
            {
                return false;
            }
        }
        return true;
    }
}
