using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>Hands the SDK's chat adapter a text-only prompt's user and assistant messages already converted
/// (<see cref="AnthropicMessageParams"/>): the same request body for a fraction of the adapter's conversion work. Sits
/// directly over the Anthropic SDK client.</summary>
internal sealed class AnthropicMessageParamsChatClient(IChatClient inner, string model, int maxTokens) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        AnthropicMessageParams.TryPrepare(messages, options, model, maxTokens, out var system, out var prepared)
            ? base.GetResponseAsync(system, prepared, cancellationToken)
            : base.GetResponseAsync(system, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        AnthropicMessageParams.TryPrepare(messages, options, model, maxTokens, out var system, out var prepared)
            ? base.GetStreamingResponseAsync(system, prepared, cancellationToken)
            : base.GetStreamingResponseAsync(system, options, cancellationToken);
}
