using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Resilience;

/// <summary>A chat client that answers from a script (call number → response or exception), for logic without HTTP.</summary>
internal sealed class ScriptedChatClient(Func<int, ChatResponse> script) : IChatClient
{
    private int calls;

    public int Calls => calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => Task.FromResult(script(Interlocked.Increment(ref calls)));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
