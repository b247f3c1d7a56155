using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Middleware;

/// <summary>
/// The stream paths of the layers that watch a stream's failures themselves (circuit breaker, rate limits) and of the
/// continuation's round text: what each sees of a stream that is cut, refused with 429, read to its end or abandoned.
/// </summary>
public sealed class StreamObservingLayersTests
{
    private static ProviderException Cut() => new(ErrorKind.ProviderUnavailable, "openai", "stream cut", statusCode: 503, isRetryable: true);

    private static ProviderException TooMany(TimeSpan? retryAfter = null) =>
        new(ErrorKind.ProviderUnavailable, "openai", "slow down", statusCode: 429, isRetryable: true, retryAfter: retryAfter);

    private static async Task<List<string>> ReadAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var texts = new List<string>();
        await foreach (var update in stream)
        {
            texts.Add(update.Text);
        }
        return texts;
    }

    [Fact]
    public async Task Breaker_StreamsCutAfterOutput_OpenTheCircuit_AndTheFailureReachesTheCallerUnchanged()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingResilienceObserver(time);
        var (first, second) = (Cut(), Cut());
        var script = new StreamScriptClient((["a"], null, first), (["b"], null, second), (["never"], ChatFinishReason.Stop, null));
        var circuit = new CircuitState(new CircuitBreakerOptions { FailureThreshold = 2 }, time);
        using var breaker = new CircuitBreakerChatClient(script, "openai", circuit, observer);

        Assert.Same(first, await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([]))));
        Assert.Empty(observer.Events);
        Assert.Same(second, await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([]))));
        Assert.Equal("circuit_opened", Assert.Single(observer.Events).Kind);

        var open = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([])));
        Assert.Contains("circuit breaker is open", open.Message, StringComparison.Ordinal);
        Assert.Equal(2, script.Requests.Count);
    }

    [Fact]
    public async Task Breaker_A429MidStream_NeitherCountsNorResetsTheFailures()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingResilienceObserver(time);
        var script = new StreamScriptClient((["a"], null, Cut()), (["b"], null, TooMany()), (["c"], null, Cut()));
        var circuit = new CircuitState(new CircuitBreakerOptions { FailureThreshold = 2 }, time);
        using var breaker = new CircuitBreakerChatClient(script, "openai", circuit, observer);

        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([])));
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([])));
        Assert.Empty(observer.Events); // the 429 did not count as the second failure
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([])));
        Assert.Equal("circuit_opened", Assert.Single(observer.Events).Kind); // nor did it reset the first
    }

    [Fact]
    public async Task Breaker_AnAbandonedProbe_LetsTheNextCallProbe_AProbeReadToItsEnd_ClosesTheCircuit()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingResilienceObserver(time);
        var script = new StreamScriptClient((["a"], null, Cut()), (["b", "never read"], ChatFinishReason.Stop, null),
            (["c", "d"], ChatFinishReason.Stop, null));
        var options = new CircuitBreakerOptions { FailureThreshold = 1, BreakDuration = TimeSpan.FromSeconds(30) };
        using var breaker = new CircuitBreakerChatClient(script, "openai", new CircuitState(options, time), observer);
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(breaker.GetStreamingResponseAsync([])));
        time.Advance(options.BreakDuration);

        await using (var abandoned = breaker.GetStreamingResponseAsync([]).GetAsyncEnumerator())
        {
            Assert.True(await abandoned.MoveNextAsync());
            Assert.Equal("b", abandoned.Current.Text);
        }
        Assert.Equal(["circuit_opened", "circuit_half_open"], observer.Events.Select(e => e.Kind));

        Assert.Equal(["c", "d", ""], await ReadAsync(breaker.GetStreamingResponseAsync([])));
        Assert.Equal(["circuit_opened", "circuit_half_open", "circuit_half_open", "circuit_closed"], observer.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task RateLimits_A429WithRetryAfterMidStream_HoldsTheNextRequest_AndTheFailureReachesTheCallerUnchanged()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingResilienceObserver(time);
        var refused = TooMany(TimeSpan.FromSeconds(5));
        var script = new StreamScriptClient((["a"], null, refused), (["b"], ChatFinishReason.Stop, null));
        using var limits = new RateLimitChatClient(script, "openai", null, new ServerRateLimits(time), new RateLimitOptions(), time, observer);

        Assert.Same(refused, await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(limits.GetStreamingResponseAsync([]))));
        var next = ReadAsync(limits.GetStreamingResponseAsync([]));
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        Assert.Single(script.Requests);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["b", ""], await next.WaitAsync(TimeSpan.FromSeconds(10)));
        var wait = Assert.Single(observer.Events);
        Assert.Equal(("rate_limit_wait", TimeSpan.FromSeconds(5), ServerRateLimits.RetryAfterReason), (wait.Kind, wait.Delay, wait.Reason));
    }

    [Fact]
    public async Task RateLimits_AStreamReadToItsEnd_CorrectsTheTokenBucketFromItsUsage()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingResilienceObserver(time);
        // 1,000 tokens a minute; each request is estimated at its output cap (1,000: an empty prompt) and used 100.
        var limiter = new ProviderRateLimiter(new RateLimitOptions { TokensPerMinute = 1000 }, time);
        var inner = new UsageClient(100);
        using var limits = new RateLimitChatClient(inner, "openai", limiter, new ServerRateLimits(time), new RateLimitOptions(), time, observer);
        var options = new ChatOptions { MaxOutputTokens = 1000 };

        await ReadAsync(limits.GetStreamingResponseAsync([], options));
        // Corrected to 100: 900 tokens are back, so a request of 900 goes through without waiting; without the correction
        // it would wait 54 s.
        var next = ReadAsync(limits.GetStreamingResponseAsync([], new ChatOptions { MaxOutputTokens = 900 }));
        Assert.Equal(["", "ok", ""], await next.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(observer.Events); // no wait (the fake clock stands still)
    }

    [Fact]
    public async Task Continuation_RoundsInSeveralPieces_AreStitchedAndSentBackWhole()
    {
        var time = new FakeTimeProvider();
        var script = new StreamScriptClient(
            (["ab", "", "c", " d"], ChatFinishReason.Length, null),
            (["e"], ChatFinishReason.Length, null),
            (["f", "g"], ChatFinishReason.Stop, null));
        var pipeline = ResiliencePipeline.Build([new ProviderLink("openai", script)], new ResilienceOptions(), time);

        var (response, restarts, _) = await Harness.GatherAsync(pipeline);

        Assert.Equal("abc defg", response.Text);
        Assert.Equal(0, restarts);
        Assert.Equal("abc d", script.Requests[1][^2].Text);
        Assert.Equal("abc de", script.Requests[2][^2].Text);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("x,y,z")]
    public async Task Continuation_TextBeforeARestart_IsNotSentBackInTheNextRound(string pieces)
    {
        var lost = pieces.Split(',');
        var time = new FakeTimeProvider();
        var script = new StreamScriptClient(
            (lost, null, Cut()),
            (["a", "b"], ChatFinishReason.Length, null),
            (["c"], ChatFinishReason.Stop, null));
        var options = new ResilienceOptions { Retry = new RetryOptions { Jitter = false, InitialDelay = TimeSpan.Zero } };
        var pipeline = ResiliencePipeline.Build([new ProviderLink("openai", script)], options, time);

        var (response, restarts, _) = await Harness.GatherAsync(pipeline);

        // (The continued round carries the first attempt's message id, so the reply is two messages here.)
        Assert.Equal("abc", string.Concat(response.Messages.Select(m => m.Text)));
        Assert.Equal(1, restarts);
        Assert.Equal("ab", script.Requests[2][^2].Text);
    }

    /// <summary>Streams a role-only update, "ok", then the usage (<paramref name="output"/> tokens, no input) and stop.</summary>
    private sealed class UsageClient(long output) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant };
            yield return new ChatResponseUpdate(ChatRole.Assistant, "ok");
            yield return new ChatResponseUpdate
            {
                FinishReason = ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = 0, OutputTokenCount = output })],
            };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
