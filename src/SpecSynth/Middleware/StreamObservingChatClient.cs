using Microsoft.Extensions.AI;

namespace SpecSynth.Middleware;

/// <summary>
/// A layer that only watches a stream (the budget check, the circuit breaker, the rate limits): its streams are driven by
/// <see cref="ObservedStream"/> with its <see cref="Guards"/>, together with the watching layers right below it.
/// </summary>
internal abstract class StreamObservingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private StreamGuards? _guards;

    /// <summary>The layers a stream of this client goes through: this one and the adjacent ones below it.</summary>
    /// <remarks>Made on the first stream: the layers below are built by then and do not change.</remarks>
    internal StreamGuards Guards => _guards ??= Guard(InnerClient);

    public sealed override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new ObservedStream(Guards, messages, options, cancellationToken);

    /// <summary>This layer over <paramref name="inner"/> (one of the <c>StreamGuards.Over</c> overloads).</summary>
    private protected abstract StreamGuards Guard(IChatClient inner);
}
