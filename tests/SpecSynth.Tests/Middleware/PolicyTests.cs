using SpecSynth.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Middleware;

public sealed class PolicyTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static ProviderException Transient(TimeSpan? retryAfter = null) =>
        new(ErrorKind.ProviderUnavailable, "claude", "overloaded", 529, isRetryable: true, retryAfter: retryAfter);

    private RetryChatClient Retry(RetryOptions options) =>
        new(new ScriptedChatClient(_ => new ChatResponse()), "claude", options, time, new RecordingResilienceObserver(time), new Random(1));

    [Fact]
    public void Backoff_WithoutJitter_GrowsExponentially_AndIsCapped()
    {
        var retry = Retry(new RetryOptions { MaxAttempts = 10, Jitter = false, MaxDelay = TimeSpan.FromSeconds(5) });

        var delays = Enumerable.Range(1, 5).Select(a => retry.NextDelay(a, Transient()).TotalSeconds);

        Assert.Equal([1.0, 2, 4, 5, 5], delays);
    }

    [Fact]
    public void Backoff_WithFullJitter_StaysWithinTheExponentialBound()
    {
        var retry = Retry(new RetryOptions { MaxAttempts = 10 });

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var delay = retry.NextDelay(attempt, Transient());
            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt - 1))));
        }
    }

    [Fact]
    public void ServersRetryAfter_WinsOverAShorterBackoff_EvenAboveTheCap()
    {
        var retry = Retry(new RetryOptions { MaxDelay = TimeSpan.FromSeconds(2), InitialDelay = TimeSpan.FromSeconds(1) });

        Assert.Equal(TimeSpan.FromSeconds(90), retry.NextDelay(1, Transient(TimeSpan.FromSeconds(90))));
    }

    [Fact]
    public void LastAttempt_GivesUp_SayingHowManyAttemptsWereMade()
    {
        var retry = Retry(new RetryOptions { MaxAttempts = 3 });

        var ex = Assert.Throws<ProviderException>(() => retry.NextDelay(3, Transient()));

        Assert.Contains("gave up after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(529, ex.StatusCode);
    }

    [Fact]
    public void Circuit_OpensAfterTheThreshold_ThenLetsExactlyOneProbeThrough()
    {
        var circuit = new CircuitState(new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30) }, time);

        Assert.False(circuit.OnTransientFailure(probe: false));
        Assert.True(circuit.OnTransientFailure(probe: false));
        Assert.False(circuit.TryEnter().Allowed);
        time.Advance(TimeSpan.FromSeconds(30));
        var probe = circuit.TryEnter();
        var other = circuit.TryEnter();

        Assert.True(probe.Allowed && probe.Probe);
        Assert.False(other.Allowed);
        Assert.True(circuit.OnAnswered(probe: true));
        Assert.True(circuit.TryEnter().Allowed);
    }

    [Fact]
    public void FailedProbe_OpensTheCircuitAgain()
    {
        var circuit = new CircuitState(new CircuitBreakerOptions { FailureThreshold = 1, BreakDuration = TimeSpan.FromSeconds(10) }, time);
        circuit.OnTransientFailure(probe: false);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(circuit.TryEnter().Probe);

        Assert.True(circuit.OnTransientFailure(probe: true));

        Assert.False(circuit.TryEnter().Allowed);
    }

    [Theory]
    [InlineData(400, "prompt is too long: 201234 tokens > 200000 maximum", true)]
    [InlineData(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", true)]
    [InlineData(400, "HTTP 400 context_length_exceeded", true)]
    [InlineData(400, "messages: text content blocks must be non-empty", false)]
    [InlineData(500, "maximum context length", false)]
    public void ContextTooLong_IsRecognisedFromStatusAndMessage(int status, string message, bool expected)
    {
        var ex = new ProviderException(ErrorKind.InvalidInput, "openai", message, status, isRetryable: status >= 500);

        Assert.Equal(expected, ContextTooLongException.Matches(ex));
    }

    [Fact]
    public void InvalidOptions_AreRejectedWhenThePipelineIsBuilt()
    {
        var link = new ProviderLink("claude", new ScriptedChatClient(_ => new ChatResponse()));
        var options = new ResilienceOptions { Retry = new RetryOptions { MaxAttempts = 0 } };

        var ex = Assert.Throws<SpecSynthException>(() => ResiliencePipeline.Build([link], options, time));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public async Task SingleProvider_PermanentFailure_IsRethrownAsItIs()
    {
        var failing = new ScriptedChatClient(_ => throw new ProviderException(ErrorKind.Auth, "claude", "key rejected", 401));
        var pipeline = ResiliencePipeline.Build([new ProviderLink("claude", failing)], new ResilienceOptions(), time);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => pipeline.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Equal(1, failing.Calls);
    }
}
