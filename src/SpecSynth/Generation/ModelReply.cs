using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Prompting;

namespace SpecSynth.Generation;

/// <summary>A complete reply gathered from a chat client, streamed or not.</summary>
/// <param name="Text">The full reply text.</param>
/// <param name="StopReason">Our stop-reason string (<c>stop</c>, <c>length</c>, ...).</param>
/// <param name="Usage">Tokens used.</param>
/// <param name="ModelId">The model that answered, when it said.</param>
/// <param name="Provider">The provider that answered (from the resilience pipeline), or <c>null</c> when not said.</param>
/// <param name="Skipped">"provider: reason" for each provider of the chain skipped before it.</param>
internal sealed record ModelReply(string Text, string StopReason, TokenUsage Usage, string? ModelId, string? Provider, IReadOnlyList<string> Skipped)
{
    /// <summary>Whether the reply came from the response cache (<see cref="Caching.ResponseCache.HitProperty"/>).</summary>
    public bool CacheHit { get; init; }

    /// <summary>Asks the client and gathers the whole reply; streamed deltas go to <paramref name="progress"/>. When the
    /// pipeline restarts a stream (<see cref="ResiliencePipeline.IsRestart"/>), what was gathered is dropped.</summary>
    public static async Task<ModelReply> GetAsync(IChatClient client, ChatPrompt prompt, ChatOptions options, bool stream,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        // The template version enters the response cache's key (the cache removes it before the provider).
        (options.AdditionalProperties ??= [])[Caching.ResponseCache.TemplateVersionProperty] = prompt.TemplateVersion;
        ChatResponse response;
        var cacheHit = false;
        string? provider = null;
        IReadOnlyList<string> skipped = [];
        if (stream)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false))
            {
                if (ResiliencePipeline.IsRestart(update))
                {
                    updates.Clear();
                    (progress as IRestartAware)?.Restarted();
                }
                (provider, skipped) = Who(update.AdditionalProperties, provider, skipped);
                cacheHit |= Caching.ResponseCache.IsHit(update);
                updates.Add(update);
                if (progress is not null && update.Text is { Length: > 0 } delta)
                {
                    progress.Report(delta);
                }
            }
            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false);
            (provider, skipped) = Who(response.AdditionalProperties, provider, skipped);
            cacheHit = Caching.ResponseCache.IsHit(response);
            progress?.Report(response.Text);
        }
        return new ModelReply(response.Text, StopReasons.From(response.FinishReason), UsageMapper.FromUsageDetails(response.Usage),
            response.ModelId, provider, skipped)
        { CacheHit = cacheHit };
    }

    private static (string?, IReadOnlyList<string>) Who(AdditionalPropertiesDictionary? properties, string? provider, IReadOnlyList<string> skipped)
    {
        if (properties is null)
        {
            return (provider, skipped);
        }
        if (properties.TryGetValue(ResiliencePipeline.ProviderProperty, out var p) && p is string name)
        {
            provider = name;
        }
        if (properties.TryGetValue(ResiliencePipeline.SkippedProperty, out var s) && s is string[] reasons)
        {
            skipped = reasons;
        }
        return (provider, skipped);
    }
}
