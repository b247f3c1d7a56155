using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;

namespace SpecSynth.Providers;

/// <summary>
/// Sets Ollama's <c>num_ctx</c> for each request from what is actually sent: the prompt (estimated at 3 characters
/// a token, on the safe side) plus the reply reservation, rounded up to 2,048 and capped at the model's context
/// length. Ollama otherwise keeps its small default and silently drops the start of a longer prompt, while asking
/// for the model's whole context (often 128k) would allocate gigabytes of KV cache for a short prompt.
/// </summary>
internal sealed class OllamaContextSizingChatClient(IChatClient inner, int modelContextLength) : DelegatingChatClient(inner)
{
    private const int Step = 2048;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return base.GetResponseAsync(list, Sized(list, options), cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return base.GetStreamingResponseAsync(list, Sized(list, options), cancellationToken);
    }

    internal ChatOptions Sized(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var sized = options?.Clone() ?? new ChatOptions();
        if (sized.AdditionalProperties?.ContainsKey(OllamaOption.NumCtx.Name) == true)
        {
            return sized;
        }
        var promptTokens = messages.Sum(m => (long)m.Text.Length) / 3 + 64;
        var needed = promptTokens + (sized.MaxOutputTokens ?? 2048);
        var numCtx = (int)Math.Min(modelContextLength, (needed + Step - 1) / Step * Step);
        sized.AddOllamaOption(OllamaOption.NumCtx, numCtx);
        return sized;
    }
}
