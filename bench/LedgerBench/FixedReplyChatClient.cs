using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LedgerBench;

/// <summary>The provider of the recording measurements: one fixed reply with usage, whole or in 64-character chunks, so
/// the time measured is the layers' (the mock provider is reached only through the service, by its name).</summary>
internal sealed class FixedReplyChatClient : IChatClient
{
    private static readonly string Reply = "```csharp\n// path: src/Greeter.cs\n" + new string('x', 2000) + "\n```\n";
    private static readonly UsageDetails Usage = new() { InputTokenCount = 5500, OutputTokenCount = 520, TotalTokenCount = 6020 };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply)) { FinishReason = ChatFinishReason.Stop, Usage = Usage, ModelId = "fixed-1" });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Reply.Length; i += 64)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, Reply[i..Math.Min(Reply.Length, i + 64)]) { ModelId = "fixed-1" };
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, Contents = [new UsageContent(Usage)] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
