using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Caching;

/// <summary>A fake pipeline for the cache middleware: answers every call with <see cref="Reply"/> in chunks of 10
/// characters, then a usage update; counts calls; can fail, stop early, restart or cut the reply.</summary>
internal sealed class StreamingFakeClient : IChatClient
{
    private int _calls;

    public string Reply { get; set; } = "```csharp path=src/A.cs\nclass A { }\n```\nA long enough reply to be streamed in several chunks.";

    public ChatFinishReason FinishReason { get; set; } = ChatFinishReason.Stop;

    /// <summary>Throws after this many updates (streaming) or at once (non-streaming).</summary>
    public int? FailAfter { get; set; }

    /// <summary>Marks the update at this index as the start of a restarted stream.</summary>
    public int? RestartAt { get; set; }

    public string Provider { get; set; } = "claude";

    public int Calls => _calls;

    public ChatOptions? LastOptions { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        LastOptions = options;
        cancellationToken.ThrowIfCancellationRequested();
        if (FailAfter is not null)
        {
            throw new HttpRequestException("provider down");
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply))
        {
            FinishReason = FinishReason,
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 },
            ModelId = "model-x",
            AdditionalProperties = new() { [ResiliencePipeline.ProviderProperty] = Provider },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        LastOptions = options;
        var chunks = Enumerable.Range(0, (Reply.Length + 9) / 10).Select(i => Reply.Substring(i * 10, Math.Min(10, Reply.Length - (i * 10)))).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (FailAfter == i)
            {
                throw new HttpRequestException("stream cut");
            }
            var update = new ChatResponseUpdate(ChatRole.Assistant, chunks[i]) { ModelId = "model-x", ResponseId = "r1", MessageId = "m1" };
            if (i == 0)
            {
                update.AdditionalProperties = new() { [ResiliencePipeline.ProviderProperty] = Provider };
            }
            if (RestartAt == i)
            {
                (update.AdditionalProperties ??= [])[ResiliencePipeline.RestartProperty] = true;
            }
            yield return update;
        }
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            FinishReason = FinishReason,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
