using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Middleware;

/// <summary>A client whose streams are enumerators of their own: each read completes at once (sync) or after a yield,
/// a failure comes from the read after the pieces; the token of the call is observed before each read; disposals are
/// counted.</summary>
internal sealed class SteppedChatClient(bool sync, params SteppedCall[] calls) : IChatClient
{
    private int next;

    public bool Sync { get; } = sync;

    public List<List<ChatMessage>> Requests { get; } = [];

    public int Disposed { get; private set; }

    public Action<int, int, ChatResponseUpdate>? Mark { get; set; }

    /// <summary>The read (0-based, in every call) that waits until the call's token is cancelled; <c>null</c>: none.</summary>
    public int? StallAt { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add([.. messages]);
        var index = next++;
        return new Stream(this, index, calls[index], cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private sealed class Stream(SteppedChatClient owner, int call, SteppedCall script, CancellationToken token)
        : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
    {
        private int step = -1;
        private bool disposed;

        public ChatResponseUpdate Current { get; private set; } = null!;

        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

        public ValueTask<bool> MoveNextAsync() =>
            step + 1 == owner.StallAt ? new ValueTask<bool>(StallAsync())
            : owner.Sync ? new ValueTask<bool>(Step()) : new ValueTask<bool>(StepLaterAsync());

        public ValueTask DisposeAsync()
        {
            Assert.False(disposed, "disposed twice");
            disposed = true;
            owner.Disposed++;
            return ValueTask.CompletedTask;
        }

        private async Task<bool> StallAsync()
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            return Step();
        }

        private async Task<bool> StepLaterAsync()
        {
            await Task.Yield();
            return Step();
        }

        private bool Step()
        {
            Assert.False(disposed, "read after disposal");
            token.ThrowIfCancellationRequested();
            step++;
            if (step < script.Pieces.Length)
            {
                Current = new ChatResponseUpdate(ChatRole.Assistant, script.Pieces[step]) { MessageId = $"m{call + 1}" };
            }
            else if (step == script.Pieces.Length && script.Failure is { } failure)
            {
                throw failure;
            }
            else if (step == script.Pieces.Length)
            {
                Current = new ChatResponseUpdate { FinishReason = script.Finish, MessageId = $"m{call + 1}" };
            }
            else
            {
                return false;
            }
            owner.Mark?.Invoke(call, step, Current);
            return true;
        }
    }
}
