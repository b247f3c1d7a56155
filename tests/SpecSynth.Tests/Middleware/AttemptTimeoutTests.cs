using SpecSynth.Config;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>Time limits of one attempt: the idle time before a non-streamed reply, and the whole attempt.</summary>
public sealed class AttemptTimeoutTests
{
    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task NonStreamedCall_ToAServerThatNeverAnswers_GivesUpAfterTheIdleTime(string provider)
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions
            {
                StreamIdleTimeout = TimeSpan.FromSeconds(5),
                Retry = new RetryOptions { MaxAttempts = 2, Jitter = false, InitialDelay = TimeSpan.FromSeconds(1) },
            },
        };
        var server = await h.ServerAsync();
        server.Fallback = FakeResponse.Hang();
        var client = h.Build(h.Link(provider, server));
        var start = h.Time.GetUtcNow();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.Contains("sent no reply within 5 s (stream_idle_timeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Arrivals(server).Count);
        Assert.InRange(h.Time.GetUtcNow() - start, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StreamedCall_ToAServerThatNeverAnswers_GivesUpAfterTheIdleTime()
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions { StreamIdleTimeout = TimeSpan.FromSeconds(5), Retry = new RetryOptions { MaxAttempts = 1 } },
        };
        var server = await h.ServerAsync();
        server.Fallback = FakeResponse.Hang();
        var client = h.Build(h.Link("openai", server));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.StreamAsync(client));

        Assert.Contains("stalled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatKeepsTrickling_IsCutAtTheAttemptTimeout()
    {
        await using var h = new Harness
        {
            Options = new ResilienceOptions
            {
                StreamIdleTimeout = TimeSpan.FromHours(1),
                Retry = new RetryOptions { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(20) },
            },
        };
        var server = await h.ServerAsync();
        var slow = ProviderWire.Reply("openai", ProviderWire.LongText("trickle"), stream: true);
        server.Enqueue(slow with { ChunkSizes = [16], DelayPerChunk = TimeSpan.FromMilliseconds(20) });
        var client = h.Build(h.Link("openai", server));
        var start = h.Time.GetUtcNow();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.StreamAsync(client));

        Assert.Contains("took longer than 20 s ([retry] attempt_timeout)", ex.Message, StringComparison.Ordinal);
        Assert.InRange(h.Time.GetUtcNow() - start, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25));
    }

    [Fact]
    public void AttemptTimeout_IsReadFromTheRetrySection()
    {
        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", "[retry]\nattempt_timeout = 90\n");

        Assert.Equal(TimeSpan.FromSeconds(90), config.Resilience.Retry.AttemptTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1e12")]
    [InlineData("\"long\"")]
    public void AttemptTimeout_OutOfRange_NamesFileLineAndKey(string value)
    {
        var ex = Assert.Throws<SpecSynthException>(() =>
            ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", "[retry]\nattempt_timeout = " + value + "\n"));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.StartsWith("/p/specsynth.toml:2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("retry.attempt_timeout", ex.Message, StringComparison.Ordinal);
    }
}
