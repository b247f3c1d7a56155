using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace SpecSynth.Middleware;

/// <summary>
/// Continues a reply cut at max tokens (finish reason <see cref="ChatFinishReason.Length"/>): asks again with the
/// partial reply as an assistant turn and a "continue" user turn, and stitches the text, for at most
/// <see cref="ContinuationOptions.MaxRounds"/> extra requests. Still cut after them, the reply keeps <c>Length</c>.
/// </summary>
internal sealed class ContinuationChatClient(IChatClient inner, string provider, ContinuationOptions continuation,
    IResilienceObserver observer) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var first = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (first.FinishReason != ChatFinishReason.Length || continuation.MaxRounds == 0)
        {
            return first;
        }
        var text = new StringBuilder(first.Text);
        var usage = new UsageDetails();
        Add(usage, first.Usage);
        var last = first;
        for (var round = 1; round <= continuation.MaxRounds && last.FinishReason == ChatFinishReason.Length; round++)
        {
            observer.OnContinuation(provider, round);
            last = await base.GetResponseAsync(Continue(messages, text), options, cancellationToken).ConfigureAwait(false);
            text.Append(last.Text);
            Add(usage, last.Usage);
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()))
        {
            FinishReason = last.FinishReason,
            Usage = usage,
            ModelId = first.ModelId,
            ResponseId = first.ResponseId,
            CreatedAt = first.CreatedAt,
            AdditionalProperties = first.AdditionalProperties,
        };
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StringBuilder? done = null; // the rounds before this one: only once a reply is continued
        string? messageId = null;
        string? responseId = null;
        for (var round = 0; ; round++)
        {
            var request = round == 0 ? messages : Continue(messages, done!);
            // This round's text: the first text itself (most replies come in one piece here or are never continued), a
            // builder only from the second piece on.
            string? roundFirst = null;
            StringBuilder? roundText = null;
            ChatFinishReason? finish = null;
            await foreach (var update in base.GetStreamingResponseAsync(request, options, cancellationToken).ConfigureAwait(false))
            {
                if (ResiliencePipeline.IsRestart(update))
                {
                    roundFirst = null;
                    roundText?.Clear();
                    if (round > 0)
                    {
                        // The caller resets on the marker: give it back the rounds it already had.
                        update.AdditionalProperties!.Remove(ResiliencePipeline.RestartProperty);
                        var replay = new ChatResponseUpdate(ChatRole.Assistant, done!.ToString()) { MessageId = messageId, ResponseId = responseId };
                        ResiliencePipeline.MarkRestart(replay);
                        yield return replay;
                    }
                }
                messageId ??= update.MessageId;
                responseId ??= update.ResponseId;
                if (round > 0)
                {
                    update.MessageId = messageId ?? update.MessageId;
                    update.ResponseId = responseId ?? update.ResponseId;
                }
                if (update.FinishReason is { } reason)
                {
                    finish = reason;
                    if (reason == ChatFinishReason.Length && round < continuation.MaxRounds)
                    {
                        update.FinishReason = null;
                    }
                }
                if (update.Text is { Length: > 0 } text)
                {
                    if (roundText is not null)
                    {
                        roundText.Append(text);
                    }
                    else if (roundFirst is null)
                    {
                        roundFirst = text;
                    }
                    else
                    {
                        roundText = new StringBuilder(roundFirst).Append(text);
                    }
                }
                yield return update;
            }
            if (finish != ChatFinishReason.Length || round >= continuation.MaxRounds)
            {
                yield break;
            }
            done ??= new StringBuilder();
            if (roundText is not null)
            {
                done.Append(roundText);
            }
            else
            {
                done.Append(roundFirst);
            }
            observer.OnContinuation(provider, round + 1);
        }
    }

    private List<ChatMessage> Continue(IEnumerable<ChatMessage> messages, StringBuilder partial) =>
        [.. messages, new(ChatRole.Assistant, partial.ToString()), new(ChatRole.User, continuation.Prompt)];

    private static void Add(UsageDetails total, UsageDetails? more)
    {
        if (more is not null)
        {
            total.Add(more);
        }
    }
}
