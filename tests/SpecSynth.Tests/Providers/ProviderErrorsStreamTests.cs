using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Middleware;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// The provider error layer's stream hands on an update the SDK has at once in the caller's step, and awaits only the first
/// step, pending reads, the end and failures: each case runs with reads that complete at once (<c>sync</c>) and with pending
/// ones, and both must give the same updates, errors and disposals.
/// </summary>
public sealed class ProviderErrorsStreamTests
{
    private static ProviderSettings Settings(TimeSpan? requestTimeout = null) => new()
    {
        Provider = "openai",
        Model = "m",
        RequestTimeout = requestTimeout ?? ProviderSettings.DefaultRequestTimeout,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CompleteStream_PassesEveryUpdateAndPutsTheHeadersOnTheFinalOne(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Stop, "a", "b"));
        using var client = new ProviderErrorsChatClient(inner, Settings(), TimeProvider.System, ollama: null);

        var updates = await ReadAsync(client);

        Assert.Equal(["a", "b", ""], updates.Select(u => u.Text));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.True(updates[^1].AdditionalProperties!.ContainsKey(ProviderErrorsChatClient.HeadersProperty));
        Assert.All(updates.Take(2), u => Assert.Null(u.AdditionalProperties));
        Assert.Equal(1, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamEndingWithoutAFinishReason_FailsRetryablyAfterItIsDisposed(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Stop, "a"));
        inner.Mark = (_, _, update) => update.FinishReason = null; // the final update lost: a cut connection
        using var client = new ProviderErrorsChatClient(inner, Settings(), TimeProvider.System, ollama: null);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.True(await enumerator.MoveNextAsync());

        var thrown = await Assert.ThrowsAsync<ProviderException>(async () => await enumerator.MoveNextAsync());

        Assert.True(thrown.IsRetryable);
        Assert.Contains("ended before the reply was complete", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(1, inner.Disposed);
        Assert.False(await enumerator.MoveNextAsync());
        await enumerator.DisposeAsync();
        Assert.Equal(1, inner.Disposed);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task TransportFailure_IsTranslatedOnTheFirstUpdateAndMidStream(bool sync, bool first)
    {
        var cut = new IOException("connection reset");
        var inner = new SteppedChatClient(sync, first ? SteppedCall.Failing(cut) : SteppedCall.Failing(cut, "a"));
        using var client = new ProviderErrorsChatClient(inner, Settings(), TimeProvider.System, ollama: null);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        if (!first)
        {
            Assert.True(await enumerator.MoveNextAsync());
        }

        var thrown = await Assert.ThrowsAsync<ProviderException>(async () => await enumerator.MoveNextAsync());

        Assert.Same(cut, thrown.InnerException);
        Assert.Equal(1, inner.Disposed);
        await enumerator.DisposeAsync();
        Assert.Equal(1, inner.Disposed);
    }

    [Fact]
    public async Task ReadStalledLongerThanTheRequestTimeout_FailsAsTimedOut()
    {
        var inner = new SteppedChatClient(false, SteppedCall.Of(ChatFinishReason.Stop, "a", "b")) { StallAt = 1 };
        using var client = new ProviderErrorsChatClient(inner, Settings(TimeSpan.FromMilliseconds(50)), TimeProvider.System, ollama: null);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());

        var thrown = await Assert.ThrowsAsync<ProviderException>(async () => await enumerator.MoveNextAsync());

        Assert.True(thrown.IsRetryable);
        Assert.Contains("did not answer within", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(1, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelledCaller_GetsTheCancellationUntranslated(bool sync)
    {
        using var cancel = new CancellationTokenSource();
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Stop, "a", "b"));
        using var client = new ProviderErrorsChatClient(inner, Settings(), TimeProvider.System, ollama: null);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: cancel.Token).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await enumerator.MoveNextAsync());

        Assert.Equal(1, inner.Disposed);
    }

    private static async Task<List<ChatResponseUpdate>> ReadAsync(IChatClient client)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]))
        {
            updates.Add(update);
        }
        return updates;
    }
}
