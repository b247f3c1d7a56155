using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Llm.Resilience;

namespace LedgerBench;

/// <summary>Answers at once with a fixed reply and usage, whole or as ten updates: what remains is the cost of the
/// middleware in front of it.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private const string Reply = "```csharp path=src/A.cs\nclass A { }\n```\nA reply of a realistic shape, streamed in ten pieces.";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply))
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = "claude-sonnet-4-5-20250929",
            Usage = new UsageDetails { InputTokenCount = 4000, OutputTokenCount = 800, CachedInputTokenCount = 2048 },
            AdditionalProperties = new() { [ResiliencePipeline.ProviderProperty] = "claude", [ResiliencePipeline.KeyAliasProperty] = "ANTHROPIC_API_KEY" },
        });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var text = response.Text;
        var size = (text.Length + 9) / 10;
        for (var i = 0; i < text.Length; i += size)
        {
            var update = new ChatResponseUpdate(ChatRole.Assistant, text.Substring(i, Math.Min(size, text.Length - i))) { ModelId = response.ModelId };
            if (i == 0)
            {
                update.AdditionalProperties = response.AdditionalProperties;
            }
            yield return update;
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, Contents = [new UsageContent(response.Usage!)] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
