using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.AI;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace OverheadBench;

/// <summary>
/// <c>--layer-steps</c>: the streaming path of the continuation, retry and provider-error layers alone (issue 19), on one
/// thread, over an inner stream of three updates (text, finish, a last one) whose reads complete at once, or whose first
/// read is pending and ends on the same thread right after the caller asked (<c>pending</c>: the layers' continuations run
/// inline, as when a socket read completes). No server, no pool, no other thread: process CPU and allocated bytes per
/// stream are steady enough to compare builds whose differences are below the full benchmark's noise. Medians of 7 rounds
/// of 200,000 streams after 300,000 for the JIT. Uses only internal types that main has too: to measure another build, copy
/// its OverheadBench folder and put this build's OverheadBench.dll in the copy.
/// </summary>
internal static class LayerSteps
{
    private const int Streams = 200_000;

    public static async Task RunAsync()
    {
        var results = new List<object>();
        foreach (var pending in new[] { false, true })
        {
            var inner = new SteppedInner { PendingFirst = pending };
            var settings = new ProviderSettings { Provider = "openai", Model = "m" };
            IChatClient client = new ContinuationChatClient(
                new RetryChatClient(new ProviderErrorsChatClient(inner, settings, TimeProvider.System, null),
                    "openai", new RetryOptions(), TimeProvider.System, NullResilienceObserver.Instance, new Random(1)),
                "openai", new ContinuationOptions(), NullResilienceObserver.Instance);
            using var cancel = new CancellationTokenSource(); // a token that can be cancelled, as the pipeline's
            await RunAsync(client, inner, cancel.Token, 300_000);
            var (ns, bytes) = (new List<double>(), new List<double>());
            for (var round = 0; round < 7; round++)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                await RunAsync(client, inner, cancel.Token, Streams);
                ns.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1e6 / Streams);
                bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)Streams);
            }
            ns.Sort();
            bytes.Sort();
            results.Add(new { first_read = pending ? "pending" : "at once", cpu_ns_per_stream = Math.Round(ns[3]), bytes_per_stream = Math.Round(bytes[3]) });
        }
        Console.WriteLine(JsonSerializer.Serialize(new { layer_steps = results }));
    }

    private static async Task RunAsync(IChatClient client, SteppedInner inner, CancellationToken cancellationToken, int streams)
    {
        List<ChatMessage> messages = [new(ChatRole.User, "hi")];
        for (var i = 0; i < streams; i++)
        {
            var updates = client.GetStreamingResponseAsync(messages, null, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                var move = updates.MoveNextAsync();
                if (!move.IsCompleted)
                {
                    inner.Complete();
                }
                if (!await move)
                {
                    break;
                }
            }
            await updates.DisposeAsync();
        }
    }

    /// <summary>The inner client: three updates per stream, the first read pending until <see cref="Complete"/> when
    /// <see cref="PendingFirst"/>.</summary>
    private sealed class SteppedInner : IChatClient, IValueTaskSource<bool>
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public bool PendingFirst { get; init; }

        public void Complete() => _core.SetResult(true);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default) => new Stream(this);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        private ValueTask<bool> Pending()
        {
            _core.Reset();
            return new ValueTask<bool>(this, _core.Version);
        }

        private sealed class Stream(SteppedInner owner) : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
        {
            private int _step;

            public ChatResponseUpdate Current { get; private set; } = null!;

            public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

            public ValueTask<bool> MoveNextAsync()
            {
                _step++;
                Current = _step switch
                {
                    1 => new ChatResponseUpdate(ChatRole.Assistant, "ok") { MessageId = "c1" },
                    2 => new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, MessageId = "c1" },
                    3 => new ChatResponseUpdate { MessageId = "c1" },
                    _ => null!,
                };
                return _step == 1 && owner.PendingFirst ? owner.Pending() : new ValueTask<bool>(_step <= 3);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
