using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Budget;

/// <summary>The budget fallback's stream: without <c>[routing] on_budget_exhausted</c> it is the inner client's own stream
/// (a refusal goes to the caller as it is); with a local route a refusal is answered by the local client.</summary>
public sealed class BudgetFallbackStreamTests
{
    [Fact]
    public async Task WithoutALocalRoute_TheStreamIsTheInnerOne_AndARefusalReachesTheCaller()
    {
        using var dir = new TempDir();
        var inner = new Streaming(Refusal());
        using var client = new BudgetFallbackChatClient(inner, Ledger(dir), null, null, null);

        var stream = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]);

        Assert.Same(inner.Stream, stream);
        var ex = await Assert.ThrowsAsync<SpecSynthException>(async () =>
        {
            await foreach (var _ in stream)
            {
            }
        });
        Assert.Equal(ErrorKind.BudgetExceeded, ex.Kind);
    }

    [Fact]
    public async Task WithALocalRoute_ARefusedStreamIsAnsweredLocally_AsARestartWhenUpdatesWereForwarded()
    {
        using var dir = new TempDir();
        var warnings = new List<string>();
        var local = new Streaming(Updates("local"));
        using var client = new BudgetFallbackChatClient(new Streaming(Refusal(forwardFirst: true)), Ledger(dir), "ollama:qwen",
            _ => Task.FromResult<IChatClient>(local), warnings.Add);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            updates.Add(update);
        }

        Assert.Equal(["paid", "local"], updates.Select(u => u.Text));
        Assert.True(ResiliencePipeline.IsRestart(updates[1]));
        Assert.Contains("ollama:qwen", Assert.Single(warnings), StringComparison.Ordinal);
    }

    private static BudgetLedger Ledger(TempDir dir) =>
        BudgetLedger.Open(new BudgetOptions { RunUsd = 1m }, null, dir.Path, new FakeTimeProvider(), null)!;

    private static async IAsyncEnumerable<ChatResponseUpdate> Refusal(bool forwardFirst = false)
    {
        await Task.Yield();
        if (forwardFirst)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "paid");
        }
        throw new SpecSynthException(ErrorKind.BudgetExceeded, "The daily budget is spent. Nothing was sent.");
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates(string text)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, text) { FinishReason = ChatFinishReason.Stop };
    }

    private sealed class Streaming(IAsyncEnumerable<ChatResponseUpdate> stream) : IChatClient
    {
        public IAsyncEnumerable<ChatResponseUpdate> Stream { get; } = stream;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default) => Stream;

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
