using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Tests.Fakes;

/// <summary>A hand-written fake chat client that answers from a script (call number, from 1, and the call's messages, to a
/// response or an exception), for logic that needs no HTTP; it keeps the messages of every call. Streaming replays the same
/// response as updates.</summary>
internal sealed class ScriptedChatClient(Func<int, IReadOnlyList<ChatMessage>, ChatResponse> script) : IChatClient
{
    private readonly ConcurrentQueue<IReadOnlyList<ChatMessage>> _requests = new();
    private int _calls;

    /// <summary>Answers from the call number (from 1) alone.</summary>
    public ScriptedChatClient(Func<int, ChatResponse> script)
        : this((call, _) => script(call))
    {
    }

    /// <summary>Answers every call with <see cref="Reply"/> of <paramref name="reply"/>.</summary>
    public ScriptedChatClient(string reply, ChatFinishReason? finish = null)
        : this(_ => Reply(reply, finish))
    {
    }

    /// <summary>How many calls it answered (or failed).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The messages of every call, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests => [.. _requests];

    /// <summary>Answers each call with <see cref="Reply"/> of what <paramref name="reply"/> makes of its <see cref="Prompt"/>.</summary>
    public static ScriptedChatClient ByPrompt(Func<string, string> reply) => new((_, messages) => Reply(reply(Prompt(messages))));

    /// <summary>A reply of <paramref name="text"/>, finish reason Stop (or <paramref name="finish"/>) and a usage of 10 input
    /// and 20 output tokens.</summary>
    public static ChatResponse Reply(string text, ChatFinishReason? finish = null) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 20 },
        };

    /// <summary>The text of <paramref name="messages"/>, one message a line.</summary>
    public static string Prompt(IEnumerable<ChatMessage> messages) => string.Join("\n", messages.Select(m => m.Text));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> request = [.. messages];
        _requests.Enqueue(request);
        return Task.FromResult(script(Interlocked.Increment(ref _calls), request));
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

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
