using Microsoft.Extensions.AI;

namespace SpecSynth.Middleware;

/// <summary>
/// A layer's stream when the layer has nothing to choose (one key to rotate, one provider to fall back over): the inner
/// client's stream, started when first moved (as an iterator is), its updates handed on as they are (each step is the inner
/// enumerator's own: no iterator and no hop of the layer's per update), the first one stamped by <c>stamp</c> when it is read.
/// A failure goes up as it came; the inner enumerator is disposed with this one (the layer above always disposes it, at the
/// end and on a failure, before it looks at the failure). Like an iterator, the stream is its own first enumerator; a second
/// enumeration gets one of its own. A token given to the enumeration besides the call's goes to the inner stream's
/// enumeration, which links the two.
/// </summary>
/// <param name="inner">The client whose stream this is.</param>
/// <param name="messages">The call's messages.</param>
/// <param name="options">The call's options.</param>
/// <param name="cancellationToken">The call's token.</param>
/// <param name="stamp">Marks the first update with <paramref name="state"/> (a static lambda: no closure per call).</param>
/// <param name="state">What the stamp writes (the key's alias, the provider's name).</param>
internal sealed class StampedStream(IChatClient inner, IEnumerable<ChatMessage> messages, ChatOptions? options,
    CancellationToken cancellationToken, Action<ChatResponseUpdate, string> stamp, string state)
    : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
{
    private IAsyncEnumerator<ChatResponseUpdate>? updates;
    private CancellationToken enumeration;
    private int handedOut;
    private bool started;
    private bool stamped;

    public ChatResponseUpdate Current
    {
        get
        {
            if (updates is not { } current)
            {
                return default!;
            }
            var update = current.Current;
            if (!stamped && update is not null)
            {
                stamped = true;
                stamp(update, state);
            }
            return update!;
        }
    }

    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken token = default)
    {
        var stream = Interlocked.Exchange(ref handedOut, 1) == 0 ? this : new StampedStream(inner, messages, options, cancellationToken, stamp, state);
        stream.handedOut = 1;
        stream.enumeration = token;
        return stream;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        if (!started)
        {
            started = true;
            updates = inner.GetStreamingResponseAsync(messages, options, cancellationToken)
                .GetAsyncEnumerator(enumeration.CanBeCanceled ? enumeration : cancellationToken);
        }
        return updates is { } current ? current.MoveNextAsync() : new ValueTask<bool>(false);
    }

    public ValueTask DisposeAsync()
    {
        var current = updates;
        updates = null;
        return current?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
