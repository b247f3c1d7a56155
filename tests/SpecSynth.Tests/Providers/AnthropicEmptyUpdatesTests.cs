using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>The Anthropic client leaves out the SDK adapter's updates that carry nothing: over real HTTP the stream means
/// the same (text, finish reason, corrected stop reasons, usage, ids) in fewer updates; an empty update still goes up when
/// the stream was quiet for <see cref="AnthropicEmptyUpdatesChatClient.Heartbeat"/>, and a stream of nothing else still
/// ends with one.</summary>
public sealed class AnthropicEmptyUpdatesTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OverHttp_OnlyTheUpdatesThatCarrySomethingComeUp_AndTheReplyMeansTheSame()
    {
        _server.Enqueue(AnthropicWire.Stream(["Hello", ", ", "world"], input: 42, output: 7, cacheWrite: 5, cacheRead: 9));
        using var client = Client();

        var updates = await ReadAsync(client);

        // message_start, content_block_start, content_block_stop and message_stop are gone: 3 deltas, message_delta, usage.
        Assert.Equal(5, updates.Count);
        Assert.Equal(["Hello", ", ", "world", "", ""], updates.Select(u => u.Text));
        Assert.All(updates[..3], u => Assert.Null(u.FinishReason));
        Assert.All(updates[3..], u => Assert.Equal(ChatFinishReason.Stop, u.FinishReason));
        Assert.All(updates, u => Assert.Equal("msg_01", u.MessageId));
        Assert.All(updates, u => Assert.Equal("claude-sonnet-4-5", u.ModelId));
        var response = updates.ToChatResponse();
        Assert.Equal("Hello, world", response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(new TokenUsage(42, 7, 5, 9), UsageMapper.FromResponse(response));
    }

    [Theory]
    [InlineData("stop_sequence", StopReasons.StopSequence)]
    [InlineData("refusal", "content_filter")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    public async Task OverHttp_TheStopReasonIsStillRead_FromTheMessageDeltaEvent(string wire, string expected)
    {
        _server.Enqueue(AnthropicWire.Stream(["partial"], stopReason: wire));
        using var client = Client();

        var updates = await ReadAsync(client);

        Assert.Equal(expected, updates.ToChatResponse().FinishReason?.Value);
        Assert.Equal(expected, updates.Last().FinishReason?.Value);
    }

    [Fact]
    public async Task AnEmptyUpdate_GoesUp_WhenTheStreamWasQuietForTheHeartbeat()
    {
        var time = new FakeTimeProvider();
        var quiet = AnthropicEmptyUpdatesChatClient.Heartbeat;
        using var client = new AnthropicEmptyUpdatesChatClient(new Script(time,
            (TimeSpan.Zero, Empty("first")),                  // at once: left out
            (quiet, Empty("second")),                         // a quiet heartbeat since the stream began: goes up
            (TimeSpan.FromMilliseconds(10), Empty("third")),  // right after it: left out
            (TimeSpan.FromMilliseconds(10), new ChatResponseUpdate(ChatRole.Assistant, "x")),
            (quiet - TimeSpan.FromMilliseconds(1), Empty("fifth")), // just under a heartbeat after "x": left out
            (TimeSpan.FromMilliseconds(2), Empty("sixth"))), time);  // a heartbeat after "x": goes up

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            updates.Add(update);
        }

        Assert.Equal(["second", "x", "sixth"], updates.Select(u => u.MessageId ?? u.Text));
    }

    [Fact]
    public async Task AStreamOfNothingButEmptyUpdates_StillEndsWithOne()
    {
        var time = new FakeTimeProvider();
        using var client = new AnthropicEmptyUpdatesChatClient(new Script(time, (TimeSpan.Zero, Empty("first")), (TimeSpan.Zero, Empty("second"))), time);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            updates.Add(update);
        }

        Assert.Equal("second", Assert.Single(updates).MessageId);
    }

    [Fact]
    public void Empty_IsNoContentOrOnlyBareEmptyText()
    {
        Assert.True(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, (IList<AIContent>)[])));
        Assert.True(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, "")));
        Assert.False(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, " ")));
        Assert.False(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails())])));
        Assert.False(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("") { ProtectedData = "sig" }])));
        Assert.False(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant, "") { AdditionalProperties = new() { ["k"] = 1 } }));
        Assert.False(AnthropicEmptyUpdatesChatClient.IsEmpty(new ChatResponseUpdate(ChatRole.Assistant,
            [new TextContent("") { Annotations = [new CitationAnnotation { Title = "t" }] }])));
    }

    private static ChatResponseUpdate Empty(string id) => new(ChatRole.Assistant, (IList<AIContent>)[]) { MessageId = id };

    private IChatClient Client() => ProviderClientFactory.Create(new ProviderSettings
    {
        Provider = ProviderIds.Claude,
        Model = "test-model",
        ApiKey = ProviderConformanceTests.SecretKey,
        BaseUrl = _server.BaseUrl,
        MaxOutputTokens = 100,
    });

    private static async Task<List<ChatResponseUpdate>> ReadAsync(IChatClient client)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "Write gcd.")]))
        {
            updates.Add(update);
        }
        return updates;
    }

    /// <summary>Streams its updates, moving the clock on by each one's delay before it.</summary>
    private sealed class Script(FakeTimeProvider time, params (TimeSpan Delay, ChatResponseUpdate Update)[] steps) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var (delay, update) in steps)
            {
                await Task.Yield();
                time.Advance(delay);
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
