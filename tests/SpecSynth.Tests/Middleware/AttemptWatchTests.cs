using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Middleware;

/// <summary>The attempt and idle limits of <see cref="AttemptTimeoutChatClient"/> on a fake clock, over a stream whose
/// updates are released one by one by the test: one timer per attempt, re-armed per pending read.</summary>
public sealed class AttemptWatchTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Attempt = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task UpdatesThatEachComeWithinTheIdleTime_AreAllRead_HoweverLongTheReaderTakesBetweenThem()
    {
        var time = new FakeTimeProvider();
        var inner = new GatedStream();
        var client = new AttemptTimeoutChatClient(inner, "p", Idle, Attempt, time);
        await using var updates = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();

        for (var i = 0; i < 3; i++)
        {
            var next = updates.MoveNextAsync();
            time.Advance(TimeSpan.FromSeconds(4));
            inner.Release("u" + i);
            Assert.True(await next);
            Assert.Equal("u" + i, updates.Current.Text);
            // The reader's own time between reads is not the stream's silence.
            time.Advance(TimeSpan.FromSeconds(30));
        }
        var end = updates.MoveNextAsync();
        inner.End();
        Assert.False(await end);
    }

    [Fact]
    public async Task AStreamSilentForTheIdleTime_IsCut_EvenWhenItsReadIgnoresCancellation_AndDisposedOnceTheReadEnds()
    {
        var time = new FakeTimeProvider();
        var inner = new GatedStream { IgnoreCancellation = true };
        var client = new AttemptTimeoutChatClient(inner, "p", Idle, Attempt, time);
        var updates = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        var first = updates.MoveNextAsync();
        inner.Release("u0");
        Assert.True(await first);

        var next = updates.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next);
        Assert.Contains("stalled: nothing arrived for 5 s", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsRetryable);
        Assert.True(inner.TokenCancelled, "the provider's call is told to stop");
        await updates.DisposeAsync();
        Assert.False(inner.Disposed, "not disposed mid-read");
        inner.Release("late");
        await inner.DisposedTask.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AStreamThatKeepsTrickling_IsCutAtTheAttemptLimit()
    {
        var time = new FakeTimeProvider();
        var inner = new GatedStream();
        var client = new AttemptTimeoutChatClient(inner, "p", Idle, TimeSpan.FromSeconds(12), time);
        await using var updates = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();
        for (var i = 0; i < 2; i++)
        {
            var next = updates.MoveNextAsync();
            time.Advance(TimeSpan.FromSeconds(4));
            inner.Release("u" + i);
            Assert.True(await next);
        }

        var last = updates.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(4.1)); // 12.1 s since the start, 4.1 s of silence

        var ex = await Assert.ThrowsAsync<ProviderException>(() => last);
        Assert.Contains("took longer than 12 s ([retry] attempt_timeout)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallerThatCancelsDuringAPendingRead_GetsItsCancellationAtOnce_NotATimeout()
    {
        var time = new FakeTimeProvider();
        var inner = new GatedStream { IgnoreCancellation = true };
        var client = new AttemptTimeoutChatClient(inner, "p", Idle, Attempt, time);
        using var cancel = new CancellationTokenSource();
        var updates = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: cancel.Token).GetAsyncEnumerator();

        var next = updates.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        Assert.Equal(cancel.Token, ex.CancellationToken);
        Assert.True(inner.TokenCancelled);
        await updates.DisposeAsync();
        inner.End();
        await inner.DisposedTask.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AReadCutByTheTimerThatEndsWithTheCancellation_IsTheTimeout()
    {
        var time = new FakeTimeProvider();
        var inner = new GatedStream(); // observes the token: the read ends with an OperationCanceledException
        var client = new AttemptTimeoutChatClient(inner, "p", Idle, Attempt, time);
        await using var updates = client.GetStreamingResponseAsync([new(ChatRole.User, "hi")]).GetAsyncEnumerator();

        var next = updates.MoveNextAsync().AsTask();
        time.Advance(Idle);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next);
        Assert.Contains("stalled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonStreamedReply_WithinTheIdleTime_IsReturned_AndOneThatIsNot_IsCut()
    {
        var time = new FakeTimeProvider();
        var reply = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new AttemptTimeoutChatClient(new PendingCall(() => reply.Task), "p", Idle, Attempt, time);

        var answered = client.GetResponseAsync([new(ChatRole.User, "hi")]);
        time.Advance(TimeSpan.FromSeconds(4));
        reply.SetResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        Assert.Equal("ok", (await answered).Text);

        var never = new TaskCompletionSource<ChatResponse>();
        var slow = new AttemptTimeoutChatClient(new PendingCall(() => never.Task), "p", Idle, Attempt, time);
        var cut = slow.GetResponseAsync([new(ChatRole.User, "hi")]);
        time.Advance(Idle);
        var ex = await Assert.ThrowsAsync<ProviderException>(() => cut);
        Assert.Contains("sent no reply within 5 s", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream whose updates come when the test releases them; its read hears the token unless told not to.</summary>
    private sealed class GatedStream : IChatClient
    {
        private readonly SemaphoreSlim _gate = new(0);
        private readonly Queue<string?> _items = new();
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IgnoreCancellation { get; init; }

        public bool TokenCancelled { get; private set; }

        public bool Disposed => _disposed.Task.IsCompleted;

        public Task DisposedTask => _disposed.Task;

        public void Release(string text)
        {
            lock (_items)
            {
                _items.Enqueue(text);
            }
            _gate.Release();
        }

        public void End()
        {
            lock (_items)
            {
                _items.Enqueue(null);
            }
            _gate.Release();
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var heard = cancellationToken.Register(() => TokenCancelled = true);
            try
            {
                while (true)
                {
                    await _gate.WaitAsync(IgnoreCancellation ? CancellationToken.None : cancellationToken);
                    string? text;
                    lock (_items)
                    {
                        text = _items.Dequeue();
                    }
                    if (text is null)
                    {
                        yield break;
                    }
                    yield return new ChatResponseUpdate(ChatRole.Assistant, text);
                }
            }
            finally
            {
                _disposed.TrySetResult();
            }
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() => _gate.Dispose();
    }

    /// <summary>A non-streamed call that ends when the test says (it ignores the token).</summary>
    private sealed class PendingCall(Func<Task<ChatResponse>> call) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => call();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
