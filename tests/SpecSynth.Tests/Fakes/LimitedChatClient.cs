using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// A provider on a <see cref="TimeProvider"/> that enforces requests and tokens per minute as a token bucket holding a
/// minute (continuous refill, how Anthropic and OpenAI document their limits) or as a sliding minute, answers 429 with
/// retry-after when over, and puts x-ratelimit-limit/remaining/reset-requests|tokens on every reply (reset: when the
/// limit is full again). A request costs 1 request and characters / 4 + its output cap in tokens, charged on arrival.
/// </summary>
internal sealed class LimitedChatClient(TimeProvider time, bool sliding, double requestsPerMinute, double tokensPerMinute, TimeSpan latency)
    : IChatClient
{
    private readonly object gate = new();
    private readonly DateTimeOffset start = time.GetUtcNow();
    private readonly Meter requests = new(sliding, requestsPerMinute);
    private readonly Meter tokens = new(sliding, tokensPerMinute);

    public int Accepted { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Seconds (on the fake clock) at which each accepted request arrived.</summary>
    public List<double> AcceptedAt { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var cost = (long)Math.Ceiling(messages.Sum(m => m.Text.Length) / 4.0) + (options?.MaxOutputTokens ?? 0);
        lock (gate)
        {
            var now = Now();
            var wait = requests.Wait(now, 1);
            wait = Math.Max(wait, tokens.Wait(now, cost));
            if (wait > 0)
            {
                Rejected++;
                throw new ProviderException(ErrorKind.ProviderUnavailable, "openai", "HTTP 429 rate limit reached", 429,
                    isRetryable: true, retryAfter: TimeSpan.FromSeconds(Math.Ceiling(wait * 1000) / 1000));
            }
            requests.Charge(now, 1);
            tokens.Charge(now, cost);
            Accepted++;
            AcceptedAt.Add(now);
        }
        await Task.Delay(latency, time, cancellationToken);
        Dictionary<string, string> headers;
        lock (gate)
        {
            var now = Now();
            headers = [];
            foreach (var (name, meter) in new[] { ("requests", requests), ("tokens", tokens) })
            {
                var (remaining, reset) = meter.Headers(now);
                headers["x-ratelimit-limit-" + name] = meter.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                headers["x-ratelimit-remaining-" + name] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
                headers["x-ratelimit-reset-" + name] = (reset * 1000).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "ms";
            }
        }
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { FinishReason = ChatFinishReason.Stop };
        (response.AdditionalProperties ??= [])[ResiliencePipeline.ResponseHeadersProperty] = (IReadOnlyDictionary<string, string>)headers;
        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("whole replies only");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private double Now() => (time.GetUtcNow() - start).TotalSeconds;

    /// <summary>One limit: a token bucket of a minute, or a sliding minute.</summary>
    private sealed class Meter(bool sliding, double perMinute)
    {
        private readonly List<(double At, double Cost)> window = [];
        private double fullAt;

        public long Limit => (long)perMinute;

        private double Rate => perMinute / 60;

        public double Wait(double now, double cost)
        {
            if (sliding)
            {
                window.RemoveAll(e => e.At <= now - 60);
                var used = window.Sum(e => e.Cost);
                if (used + cost <= perMinute)
                {
                    return 0;
                }
                var freed = 0.0;
                foreach (var (at, c) in window)
                {
                    freed += c;
                    if (used - freed + cost <= perMinute)
                    {
                        return at + 60 - now;
                    }
                }
                return 60;
            }
            var earliest = Math.Max(fullAt, now) - ((perMinute - Math.Min(cost, perMinute)) / Rate);
            return earliest > now ? earliest - now : 0;
        }

        public void Charge(double now, double cost)
        {
            if (sliding)
            {
                window.Add((now, cost));
                return;
            }
            fullAt = Math.Max(fullAt, now) + (cost / Rate);
        }

        public (long Remaining, double ResetSeconds) Headers(double now)
        {
            if (sliding)
            {
                window.RemoveAll(e => e.At <= now - 60);
                var used = window.Sum(e => e.Cost);
                return ((long)Math.Floor(perMinute - used), window.Count == 0 ? 0 : window.Max(e => e.At) + 60 - now);
            }
            var deficit = Math.Max(0, fullAt - now) * Rate;
            return ((long)Math.Floor(perMinute - deficit), Math.Max(0, fullAt - now));
        }
    }
}
