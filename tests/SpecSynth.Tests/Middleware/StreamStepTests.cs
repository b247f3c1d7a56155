using Microsoft.Extensions.AI;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Middleware;

/// <summary>
/// The continuation and retry layers hand on an update the inner stream has at once in the caller's step, and await only
/// pending reads, ends and failures: each case runs with an inner stream whose reads complete at once (<c>sync</c>) and one
/// whose reads are all pending, and both must give the same updates, events, requests and disposals.
/// </summary>
public sealed class StreamStepTests
{
    private static readonly RetryOptions NoWait = new() { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, Jitter = false };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReplyCutAtMaxTokens_IsContinuedAndStitched(bool sync)
    {
        var inner = new SteppedChatClient(sync,
            SteppedCall.Of(ChatFinishReason.Length, "first ", "half, "),
            SteppedCall.Of(ChatFinishReason.Stop, "the end."));
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        var client = new ContinuationChatClient(inner, "p", new ContinuationOptions(), observer);

        var updates = await ReadAsync(client);

        Assert.Equal("first half, the end.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal([null, null, null, null, ChatFinishReason.Stop], updates.Select(u => u.FinishReason));
        Assert.All(updates, u => Assert.Equal("m1", u.MessageId)); // the second round's updates carry the first round's id
        Assert.Equal(1, Assert.Single(observer.Events).Attempt);
        var second = inner.Requests[1];
        Assert.Equal("first half, ", second[^2].Text);
        Assert.Equal(ContinuationOptions.DefaultPrompt, second[^1].Text);
        Assert.Equal(2, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RestartDuringAContinuationRound_ReplaysTheEarlierRoundsBeforeTheUpdate(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Length, "one "), SteppedCall.Of(ChatFinishReason.Stop, "x", "two"));
        inner.Mark = (call, index, update) =>
        {
            if (call == 1 && index == 1)
            {
                ResiliencePipeline.MarkRestart(update); // as the retry layer marks a restarted attempt's first update
            }
        };
        var client = new ContinuationChatClient(inner, "p", new ContinuationOptions(), NullResilienceObserver.Instance);

        var updates = await ReadAsync(client);

        Assert.Equal(["one ", null, "x", "one ", "two", null], updates.Select(u => u.Text is { Length: > 0 } t ? t : null));
        Assert.True(ResiliencePipeline.IsRestart(updates[3]));
        Assert.False(ResiliencePipeline.IsRestart(updates[4]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ErrorOnTheFirstUpdate_IsRetriedWithoutARestartMarker(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Failing(Transient()), SteppedCall.Of(ChatFinishReason.Stop, "ok"));
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        var client = new RetryChatClient(inner, "p", NoWait, TimeProvider.System, observer, new Random(1));

        var updates = await ReadAsync(client);

        Assert.Equal("ok", string.Concat(updates.Select(u => u.Text)));
        Assert.DoesNotContain(updates, ResiliencePipeline.IsRestart);
        Assert.Equal(["retry"], observer.Events.Select(e => e.Kind));
        Assert.Equal(2, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ErrorMidStream_RestartsAndMarksTheNextAttemptsFirstUpdate(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Failing(Transient(), "par"), SteppedCall.Of(ChatFinishReason.Stop, "whole", " reply"));
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        var client = new RetryChatClient(inner, "p", NoWait, TimeProvider.System, observer, new Random(1));

        var updates = await ReadAsync(client);

        Assert.Equal(["par", "whole", " reply", ""], updates.Select(u => u.Text));
        Assert.Equal([false, true, false, false], updates.Select(ResiliencePipeline.IsRestart));
        Assert.Equal(["stream_restart", "retry"], observer.Events.Select(e => e.Kind));
        Assert.Equal(2, inner.Disposed);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task ErrorThatIsNotRetried_GoesUpAfterTheStreamIsDisposed(bool sync, bool first)
    {
        var refused = new ProviderException(ErrorKind.Auth, "p", "bad key", 401);
        var inner = new SteppedChatClient(sync, first ? SteppedCall.Failing(refused) : SteppedCall.Failing(refused, "a"));
        var client = new RetryChatClient(inner, "p", NoWait, TimeProvider.System, NullResilienceObserver.Instance, new Random(1));
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        if (!first)
        {
            Assert.True(await enumerator.MoveNextAsync());
        }

        var thrown = await Assert.ThrowsAsync<ProviderException>(async () => await enumerator.MoveNextAsync());

        Assert.Same(refused, thrown);
        Assert.Equal(1, inner.Disposed);
        Assert.Single(inner.Requests);
        Assert.False(await enumerator.MoveNextAsync());
        await enumerator.DisposeAsync();
        Assert.Equal(1, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CallerStoppingMidStream_DisposesTheInnerStreamOnce(bool sync)
    {
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Stop, "a", "b", "c"));
        IChatClient client = new RetryChatClient(
            new ContinuationChatClient(inner, "p", new ContinuationOptions(), NullResilienceObserver.Instance),
            "p", NoWait, TimeProvider.System, NullResilienceObserver.Instance, new Random(1));
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();

        Assert.True(await enumerator.MoveNextAsync());
        await enumerator.DisposeAsync();

        Assert.Equal(1, inner.Disposed);
        Assert.False(await enumerator.MoveNextAsync());
        await enumerator.DisposeAsync();
        Assert.Equal(1, inner.Disposed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelledCaller_IsNotRetriedNorContinued(bool sync)
    {
        using var cancel = new CancellationTokenSource();
        var inner = new SteppedChatClient(sync, SteppedCall.Of(ChatFinishReason.Length, "a", "b"), SteppedCall.Of(ChatFinishReason.Stop, "never"));
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        IChatClient client = new ContinuationChatClient(
            new RetryChatClient(inner, "p", NoWait, TimeProvider.System, observer, new Random(1)),
            "p", new ContinuationOptions(), observer);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: cancel.Token).GetAsyncEnumerator();

        Assert.True(await enumerator.MoveNextAsync());
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await enumerator.MoveNextAsync());
        Assert.Single(inner.Requests);
        Assert.Equal(1, inner.Disposed);
        Assert.Empty(observer.Events);
    }

    [Fact]
    public async Task EnumeratedWithAnotherToken_BothTokensCancelTheCall()
    {
        using var call = new CancellationTokenSource();
        using var enumeration = new CancellationTokenSource();
        var inner = new SteppedChatClient(true, SteppedCall.Of(ChatFinishReason.Stop, "a", "b"));
        IChatClient client = new ContinuationChatClient(
            new RetryChatClient(inner, "p", NoWait, TimeProvider.System, NullResilienceObserver.Instance, new Random(1)),
            "p", new ContinuationOptions(), NullResilienceObserver.Instance);
        var enumerator = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: call.Token)
            .GetAsyncEnumerator(enumeration.Token);

        Assert.True(await enumerator.MoveNextAsync());
        await enumeration.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await enumerator.MoveNextAsync());
        await enumerator.DisposeAsync();
        Assert.Equal(1, inner.Disposed);
    }

    private static ProviderException Transient() => new(ErrorKind.ProviderUnavailable, "p", "overloaded", 529, isRetryable: true);

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
