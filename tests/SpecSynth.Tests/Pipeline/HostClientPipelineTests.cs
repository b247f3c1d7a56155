using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Pipeline;

/// <summary>A host's own client (Azure, Semantic Kernel, a gateway) wrapped by <c>UseSpecSynth</c> gets the same middleware.</summary>
public sealed class HostClientPipelineTests
{
    private const string Key = "sk-ant-api03-Zq8rT4vW2xY6bN1mK9jH3gF5dS7aP0oL";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AHostClient_IsRetried_RateLimited_AndSentRedactedPrompts()
    {
        var observer = new RecordingResilienceObserver(_time);
        var host = HostClient(call => call == 1 ? throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable) : "ok");
        using var client = new ChatClientBuilder(host).UseSpecSynth(new SpecSynthPipelineOptions
        {
            Observer = observer,
            TimeProvider = _time,
            RateLimits = new RateLimitOptions { RequestsPerMinute = 1 },
        }).Build();

        var first = await DriveAsync(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, $"use the key {Key}")]));
        var second = await DriveAsync(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "again")]));

        Assert.Equal("ok", first.Text);
        Assert.Equal("ok", second.Text);
        Assert.Equal(3, host.Calls);
        Assert.Single(observer.Events, e => e.Kind == "retry" && e.Provider == "host");
        Assert.Contains(observer.Events, e => e.Kind == "rate_limit_wait" && e.Provider == "host");
        var prompts = host.Requests.Select(ScriptedChatClient.Prompt).ToList();
        Assert.All(prompts, p => Assert.DoesNotContain(Key, p, StringComparison.Ordinal));
        Assert.Contains("[REDACTED]", prompts[0], StringComparison.Ordinal);
        Assert.Equal("host", first.AdditionalProperties?[ResiliencePipeline.ProviderProperty]);
    }

    [Fact]
    public async Task AHostClientsAuthFailure_IsNotRetried_AndComesOutAsAProviderException()
    {
        var host = HostClient(_ => throw new HttpRequestException("no", null, HttpStatusCode.Unauthorized));
        using var client = new ChatClientBuilder(host).UseSpecSynth(new SpecSynthPipelineOptions { TimeProvider = _time }).Build();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => DriveAsync(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")])));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Equal(1, host.Calls);
    }

    [Fact]
    public async Task TheLedgerAndCacheLayers_WorkAroundAHostClient()
    {
        using var dir = new TempDir();
        using var storage = new SqliteDistributedCache(dir.Combine("cache.db"), _time);
        var host = HostClient(_ => "ok");
        using (var client = new ChatClientBuilder(host)
            .UseSpecSynthUsageLedger(new UsageLedgerLayerOptions { StateFolder = dir.Path }, _time)
            .UseSpecSynthResponseCache(new ResponseCacheLayerOptions { Storage = storage })
            .UseSpecSynth(new SpecSynthPipelineOptions { TimeProvider = _time })
            .Build())
        {
            var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
            var again = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

            Assert.False(ResponseCache.IsHit(first));
            Assert.True(ResponseCache.IsHit(again));
            Assert.Equal(1, host.Calls);
        }
        using var ledger = new UsageLedger(dir.Combine(UsageLedger.FileName));
        Assert.Equal(2, ledger.ReadAll().Count);
    }

    [Fact]
    public void InvalidOptions_FailWhenThePipelineIsBuilt()
    {
        var builder = new ChatClientBuilder(new ScriptedChatClient("ok"))
            .UseSpecSynth(new SpecSynthPipelineOptions { Resilience = new ResilienceOptions { Retry = new RetryOptions { MaxAttempts = 0 } } });

        var ex = Assert.Throws<SpecSynthException>(() => builder.Build());

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    /// <summary>Runs <paramref name="call"/>, advancing fake time while it waits (backoff, rate limits).</summary>
    private async Task<T> DriveAsync<T>(Func<Task<T>> call)
    {
        var task = Task.Run(call);
        var start = _time.GetUtcNow();
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(3));
            if (!task.IsCompleted)
            {
                Assert.True(_time.GetUtcNow() - start < TimeSpan.FromHours(1), "the call never finished");
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }
        return await task;
    }

    /// <summary>A host's client: answers the text <paramref name="script"/> gives for the call (from 1), without usage.</summary>
    private static ScriptedChatClient HostClient(Func<int, string> script) =>
        new(call => new ChatResponse(new ChatMessage(ChatRole.Assistant, script(call))) { FinishReason = ChatFinishReason.Stop });
}
