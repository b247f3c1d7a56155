using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>Turns a provider's "prompt is too long" rejection into a <see cref="ContextTooLongException"/>.</summary>
internal sealed class ContextLengthChatClient(IChatClient inner, int? contextWindow) : DelegatingChatClient(inner)
{
    private StreamGuards? _guards;

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

    /// <remarks>One enumerator per stream (<see cref="ObservedStream"/>) that turns the inner stream's rejection into
    /// <see cref="ContextTooLongException"/>.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new ObservedStream(_guards ??= StreamGuards.Over(this, InnerClient), base.GetStreamingResponseAsync(messages, options, cancellationToken), cancellationToken);

    /// <summary>The exception a stream's failure <paramref name="ex"/> reaches the caller as.</summary>
    internal Exception Translate(Exception ex) =>
        ex is ProviderException provider && ContextTooLongException.Matches(provider) ? new ContextTooLongException(provider, contextWindow) : ex;
}
