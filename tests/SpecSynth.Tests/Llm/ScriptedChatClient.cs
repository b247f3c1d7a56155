using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Llm;

/// <summary>A hand-written fake chat client that answers every request with a fixed reply.</summary>
internal sealed class ScriptedChatClient(string reply, ChatFinishReason? finish = null) : IChatClient
{
    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add(messages.ToList());
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 20 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add(messages.ToList());
        for (var i = 0; i < reply.Length; i += 7)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply.Substring(i, Math.Min(7, reply.Length - i)));
        }
        yield return new ChatResponseUpdate
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 20 })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
