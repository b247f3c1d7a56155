using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>Turns a provider's "prompt is too long" rejection into a <see cref="ContextTooLongException"/>.</summary>
internal sealed class ContextLengthChatClient(IChatClient inner, int? contextWindow) : DelegatingChatClient(inner)
{
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

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = StreamFailures.Observe(base.GetStreamingResponseAsync(messages, options, cancellationToken), ex =>
        {
            if (ex is ProviderException provider && ContextTooLongException.Matches(provider))
            {
                throw new ContextTooLongException(provider, contextWindow);
            }
        }, cancellationToken);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
