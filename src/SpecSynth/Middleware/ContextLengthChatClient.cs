using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>Turns a provider's "prompt is too long" rejection into a <see cref="ContextTooLongException"/>.</summary>
internal sealed class ContextLengthChatClient(IChatClient inner, int? contextWindow) : DelegatingChatClient(inner)
{
    private readonly Action<Exception> _onFailure = ex =>
    {
        if (ex is ProviderException provider && ContextTooLongException.Matches(provider))
        {
            throw new ContextTooLongException(provider, contextWindow);
        }
    };

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ContextTooLongException.Matches(ex))
        {
            throw new ContextTooLongException(ex, contextWindow);
        }
    }

    /// <remarks>One iterator per stream (<see cref="StreamFailures.Observe{T}"/>), not a second one of this layer around it.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamFailures.Observe(base.GetStreamingResponseAsync(messages, options, cancellationToken), _onFailure, cancellationToken);
}
