namespace SpecSynth.Middleware;

/// <summary>
/// What one provider + key's server says is left, from the <c>*ratelimit*</c> headers of its replies, minus what was
/// sent since: a reply's <c>remaining</c> counts the requests the server had received when it answered, so every
/// request sent after the one it answers (still in flight) is taken off it. A request (or its estimated tokens) goes
/// out only while that is enough; else it is held, and every request of the key behind it, until the server has room:
/// at <c>reset</c> (when the server says it is full again, as Anthropic and OpenAI document it), or earlier when the
/// replies show a continuous refill (a token bucket), at the rate they imply. A 429's retry-after holds every request
/// too. No headers, no hold. Thread-safe; callers go in arrival order.
/// </summary>
internal sealed class ServerRateLimits(TimeProvider time)
{
    /// <summary>The reason given to a caller held by what the headers say.</summary>
    internal const string HeadersReason = "what the server's rate-limit headers say is left";

    /// <summary>The reason given to a caller held by a 429's retry-after.</summary>
    internal const string RetryAfterReason = "the server's retry-after";

    /// <summary>The share of the implied refill rate counted on (a margin for rounded header values).</summary>
    private const double RateMargin = 0.98;

    /// <summary>The longest wait between two looks when only a reply still in flight can tell more.</summary>
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    /// <summary>The reset assumed when a reply gives <c>remaining</c> without one (limits are per minute).</summary>
    private static readonly TimeSpan DefaultReset = TimeSpan.FromMinutes(1);

    private readonly object gate = new();
    /// <summary>The line of callers that could not go at once, in arrival order.</summary>
    private readonly SemaphoreSlim line = new(1, 1);

    /// <summary>Callers in <see cref="line"/> (waiting for it or holding it), under <see cref="gate"/>: while there are any, a
    /// new caller joins them instead of going ahead.</summary>
    private int queued;
    private readonly Dimension requests = new();
    private readonly Dimension tokens = new();
    /// <summary>The requests sent and not yet answered: ticket → estimated tokens. A <see cref="Dictionary{TKey, TValue}"/>
    /// (only sums over it are taken, so no order is needed): no node per request and no enumerator object per look, as a
    /// sorted dictionary would allocate.</summary>
    private readonly Dictionary<long, long> inFlight = [];
    private long lastTicket;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
    /// <summary>What a held caller waits on besides its delay: made by the first caller held, completed (and dropped) by the
    /// next reply or release. <c>null</c> while nobody is held, so a reply with nobody waiting makes no new one.</summary>
    private TaskCompletionSource? changed;

    /// <summary>Waits until a request of <paramref name="estimatedTokens"/> may be sent and counts it as sent; returns its
    /// ticket (give it back with <see cref="Observe"/> or <see cref="Release"/>), how long it waited and why.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: with room at once and nobody in line it completes at once, on the caller's
    /// thread, without a task and without the line's semaphore: a caller that found the semaphore taken for the moment another
    /// caller looked was resumed through the thread pool (its waits complete asynchronously), a hop per contended request.</remarks>
    public ValueTask<(long Ticket, TimeSpan Waited, string? Reason)> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<(long, TimeSpan, string?)>(cancellationToken);
        }
        lock (gate)
        {
            if (queued == 0 && TrySend(estimatedTokens, out var ticket))
            {
                return new((ticket, TimeSpan.Zero, null));
            }
            queued++;
        }
        return AcquireInLineAsync(estimatedTokens, cancellationToken);
    }

    /// <summary>Under <see cref="gate"/>: counts a request of <paramref name="estimatedTokens"/> as sent when it may go now.</summary>
    private bool TrySend(long estimatedTokens, out long ticket)
    {
        var now = time.GetUtcNow();
        if (EarliestSend(estimatedTokens, now).At is { } send && send <= now)
        {
            inFlight[ticket = ++lastTicket] = estimatedTokens;
            return true;
        }
        ticket = 0;
        return false;
    }

    /// <summary>The caller joined the line (<see cref="queued"/> counts it): waits for its turn, then until the request may go.</summary>
    private async ValueTask<(long Ticket, TimeSpan Waited, string? Reason)> AcquireInLineAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        string? reason = null;
        try
        {
            await line.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    TimeSpan? wait;
                    Task signal;
                    lock (gate)
                    {
                        var now = time.GetUtcNow();
                        (var at, var why) = EarliestSend(estimatedTokens, now);
                        if (at is { } send && send <= now)
                        {
                            inFlight[++lastTicket] = estimatedTokens;
                            // Not held (only queued behind another caller for a moment): no wait to report.
                            return (lastTicket, reason is null ? TimeSpan.Zero : time.GetUtcNow() - start, reason);
                        }
                        reason = why;
                        wait = at - now;
                        signal = (changed ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                    }
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var delay = wait is { } w && w < MaxPoll ? w : MaxPoll;
                    await Task.WhenAny(Task.Delay(delay, time, stop.Token), signal).ConfigureAwait(false);
                    await stop.CancelAsync().ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            finally
            {
                line.Release();
            }
        }
        finally
        {
            lock (gate)
            {
                queued--;
            }
        }
    }

    /// <summary>The reply to <paramref name="ticket"/> arrived with these headers (empty: none).</summary>
    public void Observe(long ticket, RateLimitHeaders headers)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            var now = time.GetUtcNow();
            inFlight.Remove(ticket);
            requests.Update(ticket, headers.RequestsRemaining, headers.RequestsReset, headers.RequestsLimit, now);
            tokens.Update(ticket, headers.TokensRemaining, headers.TokensReset, headers.TokensLimit, now);
            wake = Renew();
        }
        wake?.TrySetResult();
    }

    /// <summary>The request of <paramref name="ticket"/> ended without a reply that tells anything (failed, cancelled).</summary>
    public void Release(long ticket)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            inFlight.Remove(ticket);
            wake = Renew();
        }
        wake?.TrySetResult();
    }

    /// <summary>The server said "too many requests, wait": nobody sends before then.</summary>
    public void PauseFor(TimeSpan wait)
    {
        lock (gate)
        {
            var until = time.GetUtcNow() + wait;
            if (until > pausedUntil)
            {
                pausedUntil = until;
            }
        }
    }

    private TaskCompletionSource? Renew()
    {
        var old = changed;
        changed = null;
        return old;
    }

    /// <summary>When a request may go (<c>null</c>: when a reply in flight tells more), and why it waits.</summary>
    private (DateTimeOffset? At, string Why) EarliestSend(long estimatedTokens, DateTimeOffset now)
    {
        var at = now;
        var why = HeadersReason;
        if (pausedUntil > now)
        {
            at = pausedUntil;
            why = RetryAfterReason;
        }
        var blocked = false;
        Consider(requests, 1, countTokens: false);
        Consider(tokens, estimatedTokens, countTokens: true);
        return (blocked ? null : at, blocked ? HeadersReason : why);

        void Consider(Dimension dimension, long cost, bool countTokens)
        {
            switch (dimension.EarliestSend(cost, dimension.Ticket == 0 ? 0 : SentSince(dimension.Ticket, countTokens), now))
            {
                case null:
                    blocked = true;
                    break;
                case { } earliest when earliest > at:
                    at = earliest;
                    why = HeadersReason;
                    break;
            }
        }
    }

    /// <summary>What was sent after the request of <paramref name="ticket"/> and is still in flight: requests, or their estimated tokens.</summary>
    private long SentSince(long ticket, bool countTokens)
    {
        var sent = 0L;
        foreach (var (sentTicket, tokensSent) in inFlight)
        {
            if (sentTicket > ticket)
            {
                sent += countTokens ? tokensSent : 1;
            }
        }
        return sent;
    }

    /// <summary>One limit (requests or tokens) as the latest reply describes it.</summary>
    private sealed class Dimension
    {
        /// <summary>The ticket whose reply gave what is known (0: none yet).</summary>
        public long Ticket { get; private set; }

        private long remaining;
        private DateTimeOffset seenAt;
        private DateTimeOffset reset;
        private long? limit;
        private long maxSeen;
        private long smallestDeficit = long.MaxValue;
        private long largestDeficit;
        private double slowestUpper = double.PositiveInfinity;
        private double fastestLower;

        /// <summary>
        /// The refill rate when the replies show a continuous refill, else <c>null</c> (wait for the reset). Each reply
        /// implies a rate of (limit − remaining) / (reset − now), within one unit of <c>remaining</c>'s rounding: a token
        /// bucket implies the same rate whatever its deficit, a sliding window a rate that grows with it (its reset is
        /// when its newest request leaves the window). So the refill is trusted once replies with deficits apart by half
        /// or more imply overlapping rates; the middle of the overlap is used.
        /// </summary>
        private double? RefillPerSecond =>
            largestDeficit * 2 >= smallestDeficit * 3 && fastestLower <= slowestUpper * 1.1
                ? Math.Min(fastestLower, slowestUpper) / 2 + (slowestUpper / 2)
                : null;

        public void Update(long ticket, long? left, DateTimeOffset? resetAt, long? limitNow, DateTimeOffset now)
        {
            if (left is not { } value)
            {
                return;
            }
            value = Math.Max(0, value);
            limit = limitNow ?? limit;
            maxSeen = Math.Max(maxSeen, value);
            var capacity = limit ?? maxSeen;
            var until = resetAt is { } r ? (r > now ? r : now) : now + (value < capacity ? DefaultReset : TimeSpan.Zero);
            if (until > now && capacity > value)
            {
                var deficit = capacity - value;
                var seconds = (until - now).TotalSeconds;
                smallestDeficit = Math.Min(smallestDeficit, deficit);
                largestDeficit = Math.Max(largestDeficit, deficit);
                slowestUpper = Math.Min(slowestUpper, deficit / seconds);
                fastestLower = Math.Max(fastestLower, (deficit - 1) / seconds);
            }
            if (ticket > Ticket)
            {
                Ticket = ticket;
                remaining = value;
                seenAt = now;
                reset = until;
            }
        }

        /// <summary>When <paramref name="cost"/> more fits, with <paramref name="sent"/> sent since the reply; <c>null</c>
        /// when only replies in flight can make room.</summary>
        public DateTimeOffset? EarliestSend(long cost, long sent, DateTimeOffset now)
        {
            if (Ticket == 0)
            {
                return now;
            }
            var capacity = Math.Max(limit ?? maxSeen, 1);
            cost = Math.Min(cost, capacity);
            var missing = cost + sent - remaining;
            if (missing <= 0)
            {
                return now;
            }
            if (capacity - sent < cost)
            {
                return null;
            }
            if (RefillPerSecond is { } rate && rate > 0)
            {
                var refilled = seenAt + TimeSpan.FromSeconds(missing / (rate * RateMargin));
                if (refilled < reset)
                {
                    return refilled > now ? refilled : now;
                }
            }
            return reset > now ? reset : now;
        }
    }
}
