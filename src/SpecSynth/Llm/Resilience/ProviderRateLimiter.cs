namespace SpecSynth.Llm.Resilience;

/// <summary>
/// Request and token buckets of one provider + key on a <see cref="TimeProvider"/>, shared by every call in the
/// process. Implemented as GCRA: each bucket keeps the time it will be full again, so a request that has to wait
/// reserves its place (first come, first served) and is charged in every bucket at the moment it is sent.
/// </summary>
internal sealed class ProviderRateLimiter(RateLimitOptions options, TimeProvider time)
{
    private readonly object gate = new();
    private readonly Bucket? requests = options.RequestsPerMinute is { } rpm ? new Bucket(rpm, options.BurstSeconds) : null;
    private readonly Bucket? tokens = options.TokensPerMinute is { } tpm ? new Bucket(tpm, options.BurstSeconds) : null;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

    public RateLimitOptions Options => options;

    /// <summary>Reserves one request costing <paramref name="estimatedTokens"/>; returns how long to wait before sending it, and which limit binds.</summary>
    public (TimeSpan Wait, string Reason) Reserve(long estimatedTokens)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var send = now;
            var reason = "";
            Consider(requests?.EarliestSend(now, 1), "requests per minute");
            Consider(tokens?.EarliestSend(now, estimatedTokens), "tokens per minute");
            Consider(pausedUntil, "the server's retry-after");
            requests?.Charge(send, 1);
            tokens?.Charge(send, estimatedTokens);
            return (send - now, reason);

            void Consider(DateTimeOffset? at, string why)
            {
                if (at is { } t && t > send)
                {
                    send = t;
                    reason = why;
                }
            }
        }
    }

    /// <summary>Corrects the token bucket once the real usage is known (a refund when <paramref name="actual"/> is smaller).</summary>
    public void Correct(long estimated, long actual)
    {
        lock (gate)
        {
            tokens?.Adjust(actual - estimated);
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

        public void Adjust(long extraCost)
        {
            if (fullAt != DateTimeOffset.MinValue)
            {
                fullAt += TimeSpan.FromSeconds(extraCost / ratePerSecond);
            }
        }
    }
}
