using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace CacheBench;

/// <summary>The provider of the bare-hit measurement: a reply of about 2 KB naming the request, whole or in chunks.</summary>
internal sealed class EchoChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply(messages))) { FinishReason = ChatFinishReason.Stop });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = Reply(messages);
        for (var i = 0; i < reply.Length; i += 64)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply[i..Math.Min(reply.Length, i + 64)]);
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static string Reply(IEnumerable<ChatMessage> messages) =>
        "```csharp\n// path: src/Echo.cs\n// " + messages.Last().Text.GetHashCode(StringComparison.Ordinal) + "\n" + new string('x', 2000) + "\n```\n";
}
