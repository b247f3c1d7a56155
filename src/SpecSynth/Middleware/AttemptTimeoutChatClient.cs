using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// The time limits of one attempt, measured on the pipeline's <see cref="TimeProvider"/>: a stream that sends nothing
/// for <c>idleTimeout</c> (its first update included), a non-streamed reply that has not arrived whole within
/// <c>idleTimeout</c> (a server sends nothing of it before it is complete), and any attempt still running after
/// <c>attemptTimeout</c> are abandoned with a retryable <see cref="ProviderException"/>, so the retry layer tries again.
/// </summary>
internal sealed class AttemptTimeoutChatClient(IChatClient inner, string provider, TimeSpan idleTimeout, TimeSpan attemptTimeout,
    TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var call = base.GetResponseAsync(messages, options, abandon.Token);
        var limit = idleTimeout < attemptTimeout ? idleTimeout : attemptTimeout;
        bool inTime;
        try
        {
            // Awaited here, not in a helper: no state machine of its own per wait (see Within). Waited as a Task (not a Task<T>)
            // so that SuppressThrowing is allowed.
            await ((Task)call).WaitAsync(limit, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            inTime = Within(call, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            _ = ObserveAsync(call);
            throw;
        }
        if (!inTime)
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            _ = ObserveAsync(call);
            throw limit == idleTimeout
                ? new ProviderException(ErrorKind.ProviderUnavailable, provider,
                    $"{provider} sent no reply within {Seconds(idleTimeout)} s (stream_idle_timeout; a reply that is not streamed " +
                    "must arrive whole within it: raise it for long replies, or stream)", isRetryable: true)
                : AttemptTooLong();
        }
        return await call.ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var deadline = time.GetUtcNow() + attemptTimeout;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var updates = base.GetStreamingResponseAsync(messages, options, abandon.Token).GetAsyncEnumerator(abandon.Token);
        var detached = false;
        try
        {
            while (true)
            {
                var next = updates.MoveNextAsync();
                if (next.IsCompletedSuccessfully)
                {
                    // Already there (an update the SDK had buffered): in time by definition, so no timer, task or linked
                    // token for it. A caller that cancelled meanwhile is still heard, as on the waiting path below.
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    if (!next.Result)
                    {
                        break;
                    }
                    yield return updates.Current;
                    continue;
                }
                var move = next.AsTask();
                var left = deadline - time.GetUtcNow();
                var idle = idleTimeout <= left;
                bool inTime;
                try
                {
                    await ((Task)move).WaitAsync(idle ? idleTimeout : (left > TimeSpan.Zero ? left : TimeSpan.Zero), time, cancellationToken)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    inTime = Within(move, cancellationToken);
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
                    throw idle
                        ? new ProviderException(ErrorKind.ProviderUnavailable, provider,
                            $"the stream from {provider} stalled: nothing arrived for {Seconds(idleTimeout)} s", isRetryable: true)
                        : AttemptTooLong();
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

    private ProviderException AttemptTooLong() =>
        new(ErrorKind.ProviderUnavailable, provider,
            $"the reply from {provider} took longer than {Seconds(attemptTimeout)} s ([retry] attempt_timeout)", isRetryable: true);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>After <c>work.WaitAsync(limit, time, cancellationToken)</c> (its outcome suppressed): whether
    /// <paramref name="work"/> ended within the limit (its own outcome is left to the caller); a cancelled caller is heard at
    /// once. One timer on the pipeline's clock, no linked token source, delay or second task (and no cancellation whose
    /// callbacks go to the thread pool) per wait, and the wait is awaited by the caller's own state machine.</summary>
    private static bool Within(Task work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return work.IsCompleted;
    }

    /// <summary>Observes an abandoned call so its late failure is not an unobserved task exception.</summary>
    private static async Task ObserveAsync(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The call was abandoned on purpose; whatever it threw while being cut is not news.
        }
    }

    /// <summary>
    /// Some SDKs (OllamaSharp) do not observe cancellation while reading a body, so the abandoned read is not awaited:
    /// the enumerator is disposed once it ends (at the latest at the provider's request timeout).
    /// </summary>
    private static async Task DisposeWhenDoneAsync(Task move, IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        await ObserveAsync(move).ConfigureAwait(false);
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
