using Microsoft.Extensions.AI;

namespace CacheBench;

/// <summary>Counts the requests that reach the provider (the mock), streamed or not.</summary>
internal sealed class CountingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
