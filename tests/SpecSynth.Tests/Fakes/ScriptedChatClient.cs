using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Fakes;

/// <summary>A hand-written fake chat client that answers from a script (call number, from 1, to a response or an
/// exception), for logic that needs no HTTP. Streaming replays the same response as updates.</summary>
internal sealed class ScriptedChatClient(Func<int, ChatResponse> script) : IChatClient
{
    private int calls;

    /// <summary>Answers every call with <paramref name="reply"/>, finish reason Stop (or <paramref name="finish"/>)
    /// and a usage of 10 input and 20 output tokens.</summary>
    public ScriptedChatClient(string reply, ChatFinishReason? finish = null)
        : this(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 20 },
        })
    {
    }

    public int Calls => calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => Task.FromResult(script(Interlocked.Increment(ref calls)));

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

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
