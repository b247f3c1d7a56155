using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Middleware;

public sealed class StreamRestartTests
{
    private static readonly ProviderException Cut = new(ErrorKind.ProviderUnavailable, "claude", "stream cut", isRetryable: true);

    [Fact]
    public async Task RestartDuringAContinuationRound_GivesTheCallerTheEarlierRoundsAgain()
    {
        var time = new FakeTimeProvider();
        var script = new StreamScriptClient(
            (["abc"], ChatFinishReason.Length, null),
            (["de"], null, Cut),
            (["def"], ChatFinishReason.Stop, null));
        var options = new ResilienceOptions { Retry = new RetryOptions { Jitter = false, InitialDelay = TimeSpan.Zero } };
        var pipeline = ResiliencePipeline.Build([new ProviderLink("claude", script)], options, time);

        var (response, restarts, provider) = await Harness.GatherAsync(pipeline);

        Assert.Equal("abcdef", response.Text);
        Assert.Equal(1, restarts);
        Assert.Equal("claude", provider);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("abc", script.Requests[2][^2].Text);
    }

    [Fact]
    public async Task StreamFailingAfterOutputOnTheLastAttempt_FallsBackWithARestart()
    {
        var time = new FakeTimeProvider();
        var first = new StreamScriptClient((["partial"], null, Cut));
        var second = new StreamScriptClient((["whole answer"], ChatFinishReason.Stop, null));
        var options = new ResilienceOptions { Retry = new RetryOptions { MaxAttempts = 1 } };
        var observer = new RecordingResilienceObserver(time);
        var pipeline = ResiliencePipeline.Build([new ProviderLink("claude", first), new ProviderLink("openai", second)], options, time, observer);

        var (response, restarts, provider) = await Harness.GatherAsync(pipeline);

        Assert.Equal("whole answer", response.Text);
        Assert.Equal(1, restarts);
        Assert.Equal("openai", provider);
        Assert.Equal("fallback", Assert.Single(observer.Events).Kind);
    }
}
