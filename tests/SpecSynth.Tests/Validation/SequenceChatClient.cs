using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Validation;

/// <summary>A hand-written fake chat client that answers each request with the next scripted reply (the last one repeats).</summary>
internal sealed class SequenceChatClient(params string[] replies) : IChatClient
{
    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = Next(messages);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reply = Next(messages);
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, reply);
        yield return new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 })],
        };
    }

    private string Next(IEnumerable<ChatMessage> messages)
    {
        Requests.Add(messages.ToList());
        return replies[Math.Min(Requests.Count - 1, replies.Length - 1)];
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
