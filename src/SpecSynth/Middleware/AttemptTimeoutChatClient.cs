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
        using var watch = new AttemptWatch(cancellationToken, time);
        var call = base.GetResponseAsync(messages, options, watch.Token);
        var limit = idleTimeout < attemptTimeout ? idleTimeout : attemptTimeout;
        if (!call.IsCompleted)
        {
            // Awaited here, not in a helper: no state machine of its own per wait; the watch is the awaited source.
            if (!await watch.WaitAsync(call, limit, idle: limit == idleTimeout).ConfigureAwait(false))
            {
                // The call is abandoned (its outcome observed when it ends); a cancelled caller is heard first.
                cancellationToken.ThrowIfCancellationRequested();
                throw Cut(watch.IdleLimit, streamed: false);
            }
            watch.Disarm();
        }
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (watch.TimedOut(cancellationToken))
        {
            // The timer went off as the reply ended: the provider's call heard the token first.
            throw Cut(watch.IdleLimit, streamed: false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var deadline = time.GetUtcNow() + attemptTimeout;
        var watch = new AttemptWatch(cancellationToken, time);
        var updates = base.GetStreamingResponseAsync(messages, options, watch.Token).GetAsyncEnumerator(watch.Token);
        var detached = false;
        try
        {
            while (true)
            {
                var next = updates.MoveNextAsync();
                bool more;
                if (next.IsCompleted)
                {
                    // Already there (an update the SDK had buffered): in time by definition, so no timer armed for it. A
                    // caller that cancelled meanwhile is still heard, as on the waiting path below.
                    cancellationToken.ThrowIfCancellationRequested();
                    more = Take(next, watch, cancellationToken);
                }
                else
                {
                    var left = deadline - time.GetUtcNow();
                    var idle = idleTimeout <= left;
                    if (!await watch.WaitAsync(next, updates, idle ? idleTimeout : left, idle).ConfigureAwait(false))
                    {
                        // Over the limit, or the caller cancelled while a read is pending: an async iterator cannot be
                        // disposed mid-read, so the read is abandoned (the watch disposes the stream once it ends) and the
                        // cancellation or the timeout goes up at once.
                        detached = true;
                        cancellationToken.ThrowIfCancellationRequested();
                        throw Cut(watch.IdleLimit, streamed: true);
                    }
                    more = TakeResult(watch, cancellationToken);
                }
                if (!more)
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
            watch.Dispose();
        }
    }

    /// <summary>A completed read's outcome; a cancellation that came from the attempt's timer is the timeout.</summary>
    private bool Take(ValueTask<bool> next, AttemptWatch watch, CancellationToken cancellationToken)
    {
        try
        {
            return next.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (watch.TimedOut(cancellationToken))
        {
            throw Cut(watch.IdleLimit, streamed: true);
        }
    }

    /// <summary>The outcome of a read that ended within its wait; as <see cref="Take"/>.</summary>
    private bool TakeResult(AttemptWatch watch, CancellationToken cancellationToken)
    {
        try
        {
            return watch.Result();
        }
        catch (OperationCanceledException) when (watch.TimedOut(cancellationToken))
        {
            throw Cut(watch.IdleLimit, streamed: true);
        }
    }

    /// <summary>The retryable timeout of an attempt cut at its idle limit (else at its attempt limit).</summary>
    private ProviderException Cut(bool idle, bool streamed) =>
        !idle ? AttemptTooLong()
        : streamed ? new ProviderException(ErrorKind.ProviderUnavailable, provider,
            $"the stream from {provider} stalled: nothing arrived for {Seconds(idleTimeout)} s", isRetryable: true)
        : new ProviderException(ErrorKind.ProviderUnavailable, provider,
            $"{provider} sent no reply within {Seconds(idleTimeout)} s (stream_idle_timeout; a reply that is not streamed " +
            "must arrive whole within it: raise it for long replies, or stream)", isRetryable: true);

    private ProviderException AttemptTooLong() =>
        new(ErrorKind.ProviderUnavailable, provider,
            $"the reply from {provider} took longer than {Seconds(attemptTimeout)} s ([retry] attempt_timeout)", isRetryable: true);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
