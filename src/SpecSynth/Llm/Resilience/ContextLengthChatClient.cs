using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm.Resilience;

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
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (ProviderException ex) when (ContextTooLongException.Matches(ex))
                {
                    throw new ContextTooLongException(ex, contextWindow);
                }
                yield return updates.Current;
            }
        }
    }
}
