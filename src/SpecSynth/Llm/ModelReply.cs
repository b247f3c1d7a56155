using Microsoft.Extensions.AI;

namespace SpecSynth.Llm;

/// <summary>A complete reply gathered from a chat client, streamed or not.</summary>
/// <param name="Text">The full reply text.</param>
/// <param name="StopReason">Our stop-reason string (<c>stop</c>, <c>length</c>, ...).</param>
/// <param name="Usage">Tokens used.</param>
/// <param name="ModelId">The model that answered, when it said.</param>
internal sealed record ModelReply(string Text, string StopReason, TokenUsage Usage, string? ModelId)
{
    /// <summary>Asks the client and gathers the whole reply; streamed deltas go to <paramref name="progress"/>.</summary>
    public static async Task<ModelReply> GetAsync(IChatClient client, ChatPrompt prompt, ChatOptions options, bool stream,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ChatResponse response;
        if (stream)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                if (progress is not null && update.Text is { Length: > 0 } delta)
                {
                    progress.Report(delta);
                }
            }
            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false);
            progress?.Report(response.Text);
        }
        return new ModelReply(response.Text, StopReasonOf(response.FinishReason), UsageOf(response.Usage), response.ModelId);
    }

    internal static string StopReasonOf(ChatFinishReason? reason) =>
        reason is null ? "unknown"
        : reason == ChatFinishReason.Stop ? "stop"
        : reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : reason.Value.Value;

    internal static TokenUsage UsageOf(UsageDetails? usage)
    {
        if (usage is null)
        {
            return TokenUsage.Zero;
        }
        var cacheRead = usage.CachedInputTokenCount ?? 0;
        var cacheWrite = usage.AdditionalCounts?.TryGetValue("CacheCreationInputTokens", out var w) == true ? w : 0;
        var input = Math.Max(0, (usage.InputTokenCount ?? 0) - cacheRead - cacheWrite);
        return new TokenUsage(input, usage.OutputTokenCount ?? 0, cacheWrite, cacheRead);
    }
}
