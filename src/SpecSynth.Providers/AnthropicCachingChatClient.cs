using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>Places Anthropic prompt-cache breakpoints where the prompt builder marked the end of the stable prefix
/// (see <see cref="AnthropicCacheBreakpoints"/>). Sits directly over the Anthropic SDK client.</summary>
internal sealed class AnthropicCachingChatClient(IChatClient inner, string model) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(AnthropicCacheBreakpoints.Apply(messages, options?.ModelId ?? model), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(AnthropicCacheBreakpoints.Apply(messages, options?.ModelId ?? model), options, cancellationToken);
}
