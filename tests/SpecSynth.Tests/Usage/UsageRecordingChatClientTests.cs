using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;
using SpecSynth.Providers;
using SpecSynth.Tests.Caching;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The usage middleware alone, over fake pipelines: what a row holds, how tags, timing, pricing, abandoned
/// streams, restarts and failed writes are handled.</summary>
public sealed class UsageRecordingChatClientTests : IDisposable
{
    private static readonly ModelInfo Priced = new()
    {
        Id = "model-x",
        Provider = "claude",
        InputPerMillion = 3m,
        OutputPerMillion = 15m,
        CacheWritePerMillion = 3.75m,
        CacheReadPerMillion = 0.3m,
    };

    private static readonly ModelInfo Cheap = Priced with { Id = "model-y", Provider = "openai", InputPerMillion = 1m, OutputPerMillion = 2m };

    private readonly TempDir _dir = new();
    private readonly List<string> _warnings = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheCallersTags_AreRecorded_AndRemovedBeforeThePipeline()
    {
        var inner = new StreamingFakeClient();
        using var client = Client(inner);
        var options = UsageOperations.Tag(new ChatOptions { AdditionalProperties = new() { ["other"] = 1 } }, UsageOperations.Repair, "specs/a.md");

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        Assert.False(inner.LastOptions!.AdditionalProperties!.ContainsKey(UsageOperations.OperationProperty));
        Assert.False(inner.LastOptions.AdditionalProperties.ContainsKey(UsageOperations.SpecProperty));
        Assert.Equal(1, inner.LastOptions.AdditionalProperties["other"]);
        Assert.True(options.AdditionalProperties!.ContainsKey(UsageOperations.OperationProperty), "the caller's options are not changed");
        var row = Assert.Single(Rows());
        Assert.Equal("repair", row.Operation);
        Assert.Equal("specs/a.md", row.Spec);
        Assert.Equal("run-1", row.RunId);
        Assert.Equal("/project", row.Project);
        Assert.Equal(_time.GetUtcNow(), row.Time);
        Assert.Equal(new TokenUsage(100, 50), row.Tokens);
        Assert.Equal(Priced.Cost(new TokenUsage(100, 50)), row.CostUsd);
        Assert.Equal("model-x", row.Model);
    }

    [Fact]
    public async Task AnUntaggedCall_IsRecordedAsOther()
    {
        using var client = Client(new StreamingFakeClient());

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal(UsageOperations.Unknown, Assert.Single(Rows()).Operation);
    }

    [Fact]
    public async Task AFallbackProvidersAnswer_IsPricedAtItsOwnPrices()
    {
        using var client = Client(new StreamingFakeClient { Provider = "openai" });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        var row = Assert.Single(Rows());
        Assert.Equal("openai", row.Provider);
        Assert.Equal(Cheap.Cost(new TokenUsage(100, 50)), row.CostUsd);
    }

    [Fact]
    public async Task AStream_RecordsLatency_AndTimeToFirstToken_OnTheClock()
    {
        using var client = Client(new TimedStream(_time));

        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
        }

        var row = Assert.Single(Rows());
        Assert.Equal(TimeSpan.FromMilliseconds(300), row.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(1300), row.Latency);
        Assert.Equal(new TokenUsage(11, 22, 0, 0), row.Tokens);
        Assert.True(row.Streamed);
        Assert.Equal("ANTHROPIC_API_KEY", row.KeyAlias);
    }

    [Fact]
    public async Task AnAbandonedStream_IsRecordedAsCancelled()
    {
        using var client = Client(new StreamingFakeClient());

        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
            break;
        }

        var row = Assert.Single(Rows());
        Assert.Equal("cancelled", row.Outcome);
        Assert.Equal(TokenUsage.Zero, row.Tokens);
    }

    [Fact]
    public async Task AStreamThatFails_IsRecordedWithItsKind_AndTheErrorReachesTheCaller()
    {
        using var client = Client(new FailingClient(new ProviderException(ErrorKind.ProviderUnavailable, "openai", "down", 503, isRetryable: true)));

        await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            {
            }
        });

        var row = Assert.Single(Rows());
        Assert.Equal("provider_unavailable", row.Outcome);
        Assert.Equal("openai", row.Provider);
        Assert.Equal("model-y", row.Model);
    }

    [Fact]
    public async Task ARestartedStream_CountsOnlyTheUsageOfTheAttemptThatFinished()
    {
        using var client = Client(new TimedStream(_time) { Restart = true });

        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
        }

        Assert.Equal(new TokenUsage(11, 22), Assert.Single(Rows()).Tokens);
    }

    [Fact]
    public async Task RetriesHeardOnTheCallsFlow_AreCounted_PerCall()
    {
        var observer = new RetryCountingObserver(null);
        var failure = new ProviderException(ErrorKind.ProviderUnavailable, "claude", "busy", 529, isRetryable: true);
        using var client = Client(new ObservedClient(observer, failure, retries: 2));
        using var other = Client(new ObservedClient(observer, failure, retries: 0));

        await Task.WhenAll(
            client.GetResponseAsync([new ChatMessage(ChatRole.User, "a")]),
            other.GetResponseAsync([new ChatMessage(ChatRole.User, "b")]));
        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "c")]))
        {
        }

        Assert.Equal([0, 2, 2], Rows().Select(r => r.Retries).Order());
    }

    [Fact]
    public async Task ALedgerThatCannotBeWritten_WarnsOnce_AndTheCallsSucceed()
    {
        var blocked = Directory.CreateDirectory(_dir.Combine("not-a-file.db")).FullName;
        var audit = new AuditLog(_dir.Combine("audit.jsonl"), "tester@box", includePrompts: false);
        using var client = new UsageRecordingChatClient(new StreamingFakeClient(), new UsageLedger(blocked), audit, false,
            new UsageContext("run-1", null), Chain, _time, _warnings.Add);

        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.NotEmpty(first.Text);
        Assert.NotEmpty(second.Text);
        var warning = Assert.Single(_warnings);
        Assert.StartsWith("the usage ledger could not record a request", warning, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(_dir.Combine("audit.jsonl")).Length);
    }

    [Fact]
    public async Task WithIncludePrompts_TheAuditLineHasThePromptAndReply_AndTheHashIsThePromptsSha256()
    {
        using var client = Client(new StreamingFakeClient { Reply = "the answer" }, includePrompts: true);
        ChatMessage[] messages = [new(ChatRole.System, "be brief"), new(ChatRole.User, "question ü \"quoted\"\nline")];

        await foreach (var _ in client.GetStreamingResponseAsync(messages))
        {
        }

        var line = Assert.Single(File.ReadAllLines(_dir.Combine("audit.jsonl")));
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal("tester@box", root.GetProperty("who").GetString());
        Assert.Equal("the answer", root.GetProperty("reply").GetString());
        var prompt = root.GetProperty("prompt");
        Assert.Equal(["system", "user"], prompt.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(messages[1].Text, prompt[1].GetProperty("text").GetString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.GetRawText())));
        Assert.Equal(hash, root.GetProperty("prompt_sha256").GetString());
        Assert.Equal(AuditLog.PromptHash(messages), hash);
    }

    [Fact]
    public async Task WithoutIncludePrompts_TheAuditLineHasOnlyTheHash()
    {
        using var client = Client(new StreamingFakeClient { Reply = "the answer" });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "secret plan")]);

        var line = Assert.Single(File.ReadAllLines(_dir.Combine("audit.jsonl")));
        Assert.DoesNotContain("secret plan", line, StringComparison.Ordinal);
        Assert.DoesNotContain("the answer", line, StringComparison.Ordinal);
        Assert.Contains("\"prompt_sha256\":\"" + AuditLog.PromptHash([new ChatMessage(ChatRole.User, "secret plan")]), line, StringComparison.Ordinal);
    }

    [Fact]
    public void Who_IsSpecSynthUser_WhenSet_ElseUserAtMachine()
    {
        Assert.Equal("ci-bot", AuditLog.Who(n => n == "SPECSYNTH_USER" ? "ci-bot" : null));
        Assert.Equal(Environment.UserName + "@" + Environment.MachineName, AuditLog.Who(_ => null));
    }

    private static IReadOnlyList<UsageChainEntry> Chain => [new("claude", "model-x", Priced), new("openai", "model-y", Cheap)];

    private UsageRecordingChatClient Client(IChatClient inner, bool includePrompts = false) =>
        new(inner, new UsageLedger(_dir.Combine("usage.db")), new AuditLog(_dir.Combine("audit.jsonl"), "tester@box", includePrompts), includePrompts,
            new UsageContext("run-1", "/project"), Chain, _time, _warnings.Add);

    private IReadOnlyList<UsageRecord> Rows()
    {
        using var ledger = new UsageLedger(_dir.Combine("usage.db"));
        return ledger.ReadAll();
    }

    /// <summary>Streams a usage-only update, waits 300 ms, the text, waits 1 s, the final usage (optionally after a
    /// restart marker, which voids the first usage).</summary>
    [Fact]
    public void TheRowsUsage_IsWhatToChatResponseSums_ForNoneOneAndSeveralReports()
    {
        UsageContent Report(long? input, long? output, long? cached, string? extra) => new(new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = input + output,
            CachedInputTokenCount = cached,
            AdditionalCounts = extra is null ? null : new() { [extra] = 7 },
        });
        List<UsageContent>[] cases =
        [
            [],
            [Report(100, 20, null, null)],
            [Report(100, null, 40, "cache_creation_input_tokens"), Report(null, 55, null, "cache_creation_input_tokens")],
            [Report(3, 4, 1, "a"), Report(null, null, null, "b"), Report(10, 1, null, null)],
            [Report(100, 5, 20, UsageMapper.CacheWriteKey), Report(null, 9, null, UsageMapper.CacheWriteKey)],
            [Report(null, null, null, null)],
        ];

        foreach (var usage in cases)
        {
            var expected = new[] { new ChatResponseUpdate { Contents = [.. usage] } }.ToChatResponse().Usage;
            var actual = UsageRecordingChatClient.Sum(usage);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
            Assert.True(usage.Count == 0 || !usage.Any(u => ReferenceEquals(u.Details, actual)));
            Assert.Equal(UsageMapper.FromUsageDetails(expected), UsageMapper.FromReports(usage));
            // The running sum the middleware keeps (no list of reports), also after a restart cleared it.
            var running = default(UsageSum);
            running.Add(new UsageDetails { InputTokenCount = 999, OutputTokenCount = 999 });
            running.Clear();
            usage.ForEach(u => running.Add(u.Details));
            Assert.Equal(UsageMapper.FromUsageDetails(expected), running.ToTokenUsage());
        }
    }

    [Fact]
    public async Task RetriesHeardInLaterStepsOfAStream_AndWhileItIsDisposed_AreCounted()
    {
        var observer = new RetryCountingObserver(null);
        var failure = new ProviderException(ErrorKind.ProviderUnavailable, "claude", "busy", 529, isRetryable: true);
        using var client = Client(new LateRetriesClient(observer, failure));

        var texts = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "c")]))
        {
            texts.Add(update.Text);
            await Task.Yield(); // the caller's own awaits between steps
        }

        Assert.Equal(["a", "b", "c"], texts);
        Assert.Equal(3, Assert.Single(Rows()).Retries);
    }

    private sealed class TimedStream(FakeTimeProvider time) : IChatClient
    {
        public bool Restart { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = Restart ? 500 : 11, OutputTokenCount = Restart ? 500 : 0 })],
                AdditionalProperties = new()
                {
                    [ResiliencePipeline.ProviderProperty] = "claude",
                    [ResiliencePipeline.KeyAliasProperty] = "ANTHROPIC_API_KEY",
                },
            };
            time.Advance(TimeSpan.FromMilliseconds(300));
            var text = new ChatResponseUpdate(ChatRole.Assistant, "hello");
            if (Restart)
            {
                text.AdditionalProperties = new() { [ResiliencePipeline.RestartProperty] = true };
            }
            yield return text;
            time.Advance(TimeSpan.FromSeconds(1));
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                FinishReason = ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = Restart ? 11 : 0, OutputTokenCount = 22 })],
            };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Fails every call with <paramref name="error"/>.</summary>
    private sealed class FailingClient(Exception error) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromException<ChatResponse>(error);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw error;
#pragma warning disable CS0162 // an iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Tells the observer of one retry in the second step, one in the third (each after a real await) and one
    /// while the finished stream is disposed.</summary>
    private sealed class LateRetriesClient(IResilienceObserver observer, ProviderException failure) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, "a");
                await Task.Delay(5, cancellationToken);
                observer.OnRetry("claude", 1, TimeSpan.FromMilliseconds(5), failure);
                yield return new ChatResponseUpdate(ChatRole.Assistant, "b");
                await Task.Delay(5, cancellationToken);
                observer.OnRetry("claude", 2, TimeSpan.FromMilliseconds(5), failure);
                yield return new ChatResponseUpdate(ChatRole.Assistant, "c");
            }
            finally
            {
                await Task.Delay(5, CancellationToken.None);
                observer.OnRetry("claude", 3, TimeSpan.FromMilliseconds(5), failure);
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Tells the observer of <paramref name="retries"/> retries (after real awaits, as the retry policy does) before answering.</summary>
    private sealed class ObservedClient(IResilienceObserver observer, ProviderException failure, int retries) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            for (var i = 1; i <= retries; i++)
            {
                await Task.Delay(5, cancellationToken);
                observer.OnRetry("claude", i, TimeSpan.FromMilliseconds(5), failure);
            }
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "o");
            for (var i = 1; i <= retries; i++)
            {
                await Task.Delay(5, cancellationToken);
                observer.OnRetry("claude", i, TimeSpan.FromMilliseconds(5), failure);
            }
            yield return new ChatResponseUpdate(ChatRole.Assistant, "k");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
