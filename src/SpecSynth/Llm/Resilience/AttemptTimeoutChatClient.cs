using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm.Resilience;

/// <summary>
/// Abandons a stream that sends nothing for <c>idleTimeout</c> (measured on the pipeline's <see cref="TimeProvider"/>)
/// with a retryable <see cref="ProviderException"/>, so the retry layer starts it again.
/// </summary>
internal sealed class StreamIdleChatClient(IChatClient inner, string provider, TimeSpan idleTimeout, TimeProvider time)
    : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var updates = base.GetStreamingResponseAsync(messages, options, abandon.Token).GetAsyncEnumerator(abandon.Token);
        var detached = false;
        try
        {
            while (true)
            {
                var move = updates.MoveNextAsync().AsTask();
                bool inTime;
                try
                {
                    inTime = await WithinIdleTimeAsync(move, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The caller cancelled while a read is pending: an async iterator cannot be disposed mid-read, so
                    // abandon it like a stall and let the cancellation through at once.
                    await abandon.CancelAsync().ConfigureAwait(false);
                    detached = true;
                    _ = DisposeWhenDoneAsync(move, updates);
                    throw;
                }
                if (!inTime)
                {
                    await abandon.CancelAsync().ConfigureAwait(false);
                    detached = true;
                    _ = DisposeWhenDoneAsync(move, updates);
                    throw new ProviderException(ErrorKind.ProviderUnavailable, provider,
                        $"the stream from {provider} stalled: nothing arrived for {idleTimeout.TotalSeconds:0.#} s", isRetryable: true);
                }
                if (!await move.ConfigureAwait(false))
                {
                    break;
                }
                yield return updates.Current;
            }
        }
        finally
        {
            if (!detached)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> WithinIdleTimeAsync(Task<bool> move, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idle = Task.Delay(idleTimeout, time, timer.Token);
        var first = await Task.WhenAny(move, idle).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == move;
    }

    /// <summary>
    /// Some SDKs (OllamaSharp) do not observe cancellation while reading a body, so the abandoned read is not awaited:
    /// the enumerator is disposed once it ends (at the latest at the provider's request timeout).
    /// </summary>
    private static async Task DisposeWhenDoneAsync(Task move, IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        try
        {
            await move.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The stream was abandoned on purpose; whatever it threw while being cut is not news.
        }
        try
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Same: nothing left to report to anyone.
        }
    }
}
