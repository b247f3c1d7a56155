namespace SpecSynth.Middleware;

/// <summary>
/// Request and token buckets of one provider + key on a <see cref="TimeProvider"/>, shared by every call in the
/// process. Each bucket keeps the time it will be full again (GCRA). Callers queue in arrival order; the one at the
/// head waits until both buckets can pay for it (waking early when a usage correction refunds tokens), is charged at
/// the moment it is let through, and the next one moves up.
/// </summary>
internal sealed class ProviderRateLimiter(RateLimitOptions options, TimeProvider time) : IRateLimiter
{
    /// <summary>The reason given to a caller that only waited for the callers ahead of it.</summary>
    internal const string QueuedReason = "requests ahead of it for the same limit";

    private readonly object gate = new();
    /// <summary>The line of callers that could not go at once, in arrival order.</summary>
    private readonly SemaphoreSlim line = new(1, 1);

    /// <summary>Callers in <see cref="line"/> (waiting for it or holding it), under <see cref="gate"/>: while there are any, a
    /// new caller joins them instead of going ahead.</summary>
    private int queued;
    private readonly Bucket? requests = options.RequestsPerMinute is { } rpm ? new Bucket(rpm, options.BurstSeconds) : null;
    private readonly Bucket? tokens = options.TokensPerMinute is { } tpm ? new Bucket(tpm, options.BurstSeconds) : null;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;
    /// <summary>What a waiting caller also wakes on: made by the first caller that waits, completed (and dropped) by the
    /// next correction. <c>null</c> while nobody waits, so a correction with nobody waiting makes no new one.</summary>
    private TaskCompletionSource? refunded;

    public RateLimitOptions Options => options;

    /// <summary>Waits until one request costing <paramref name="estimatedTokens"/> may be sent and charges it; returns how long it waited and why.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: when both buckets can pay at once and nobody is in line it completes at
    /// once, on the caller's thread, without a task and without the line's semaphore: a caller that found the semaphore taken
    /// for the moment another caller looked was resumed through the thread pool (its waits complete asynchronously), a hop
    /// per contended request.</remarks>
    public ValueTask<(TimeSpan Waited, string Reason)> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<(TimeSpan, string)>(cancellationToken);
        }
        var start = time.GetUtcNow();
        lock (gate)
        {
            if (queued == 0 && Charge(estimatedTokens, start) is null)
            {
                return new((time.GetUtcNow() - start, QueuedReason));
            }
            queued++;
        }
        return AcquireInLineAsync(start, estimatedTokens, cancellationToken);
    }

    /// <summary>The caller joined the line (<see cref="queued"/> counts it): waits for its turn, then until both buckets can pay.</summary>
    private async ValueTask<(TimeSpan Waited, string Reason)> AcquireInLineAsync(DateTimeOffset start, long estimatedTokens,
        CancellationToken cancellationToken)
    {
        var reason = QueuedReason;
        try
        {
            await line.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (TryCharge(estimatedTokens) is { } wait)
                {
                    reason = wait.Reason;
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await Task.WhenAny(Task.Delay(wait.Delay, time, stop.Token), wait.Refund).ConfigureAwait(false);
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
        return (time.GetUtcNow() - start, reason);
    }

    /// <summary>Charges the request when both buckets can pay now; else says how long to wait, why, and what would end the wait early.</summary>
    private (TimeSpan Delay, string Reason, Task Refund)? TryCharge(long estimatedTokens)
    {
        lock (gate)
        {
            return Charge(estimatedTokens, time.GetUtcNow());
        }
    }

    /// <summary>Under <see cref="gate"/>: <see cref="TryCharge"/> at <paramref name="now"/>.</summary>
    private (TimeSpan Delay, string Reason, Task Refund)? Charge(long estimatedTokens, DateTimeOffset now)
    {
        var send = now;
        var reason = "";
        Consider(requests?.EarliestSend(now, 1), "requests per minute");
        Consider(tokens?.EarliestSend(now, estimatedTokens), "tokens per minute");
        Consider(pausedUntil, "the server's retry-after");
        if (send > now)
        {
            return (send - now, reason, (refunded ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task);
        }
        requests?.Charge(now, 1);
        tokens?.Charge(now, estimatedTokens);
        return null;

        void Consider(DateTimeOffset? at, string why)
        {
            if (at is { } t && t > send)
            {
                send = t;
                reason = why;
            }
        }
    }

    /// <summary>Corrects the token bucket once the real usage is known (a refund when <paramref name="actual"/> is smaller).</summary>
    public void Correct(long estimated, long actual)
    {
        TaskCompletionSource? wake;
        lock (gate)
        {
            tokens?.Adjust(actual - estimated);
            wake = refunded;
            refunded = null;
        }
        wake?.TrySetResult();
    }

    /// <summary>
    /// Lowers a bucket to what the provider says is left (never raises it). Holding requests while the server has
    /// nothing left is <see cref="ServerRateLimits"/>' job, which also counts the requests still in flight.
    /// </summary>
    public void Adapt(RateLimitHeaders headers)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (headers.RequestsRemaining is { } requestsLeft)
            {
                requests?.LowerTo(now, requestsLeft);
            }
            if (headers.TokensRemaining is { } tokensLeft)
            {
                tokens?.LowerTo(now, tokensLeft);
            }
        }
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

    private sealed class Bucket(int perMinute, double burstSeconds)
    {
        private readonly double ratePerSecond = perMinute / 60.0;
        private readonly double capacity = Math.Max(1, perMinute / 60.0 * burstSeconds);
        private DateTimeOffset fullAt = DateTimeOffset.MinValue;

        public DateTimeOffset EarliestSend(DateTimeOffset now, long cost)
        {
            var c = Math.Min(cost, capacity);
            var full = fullAt > now ? fullAt : now;
            var at = full - TimeSpan.FromSeconds((capacity - c) / ratePerSecond);
            return at > now ? at : now;
        }

        public void Charge(DateTimeOffset at, long cost)
        {
            var start = fullAt > at ? fullAt : at;
            fullAt = start + TimeSpan.FromSeconds(Math.Min(cost, capacity) / ratePerSecond);
        }

        public void LowerTo(DateTimeOffset now, long remaining)
        {
            var level = capacity - (ratePerSecond * Math.Max(0, (fullAt - now).TotalSeconds));
            if (remaining < level)
            {
                fullAt = now + TimeSpan.FromSeconds((capacity - Math.Max(0, remaining)) / ratePerSecond);
            }
        }

        public void Adjust(long extraCost)
        {
            if (fullAt != DateTimeOffset.MinValue)
            {
                fullAt += TimeSpan.FromSeconds(extraCost / ratePerSecond);
            }
        }
    }
}
