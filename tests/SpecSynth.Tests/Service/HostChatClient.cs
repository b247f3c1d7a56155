using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Service;

/// <summary>A host's own <see cref="IChatClient"/> (as <c>services.AddChatClient</c> would register): answers each call
/// with the next scripted reply (the last one repeats), records the messages it received and names itself through
/// <see cref="ChatClientMetadata"/>.</summary>
internal sealed class HostChatClient(string provider, string model, params string[] replies) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new(provider, null, model);
    private int _calls;

    /// <summary>The messages of every call, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<ChatMessage>> Received { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public bool Disposed { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Received.Enqueue([.. messages]);
        var call = Interlocked.Increment(ref _calls);
        var reply = replies[Math.Min(call, replies.Length) - 1];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = model,
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => Disposed = true;
}
