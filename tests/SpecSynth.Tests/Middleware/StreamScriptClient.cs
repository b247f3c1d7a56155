using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Middleware;

/// <summary>A streaming chat client whose n-th call yields scripted text pieces, then a finish reason or an exception.</summary>
internal sealed class StreamScriptClient(params (string[] Pieces, ChatFinishReason? Finish, Exception? Failure)[] calls) : IChatClient
{
    private int next;

    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add([.. messages]);
        var (pieces, finish, failure) = calls[next++];
        foreach (var piece in pieces)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { MessageId = $"m{next}" };
        }
        if (failure is not null)
        {
            throw failure;
        }
        yield return new ChatResponseUpdate { FinishReason = finish, MessageId = $"m{next}" };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
