using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm.Resilience;

/// <summary>
/// Waits for the provider's client-side buckets before each request: cost = request + (characters / chars-per-token
/// + max output tokens); corrected from the reported usage; a 429 with retry-after pauses every caller of the key.
/// </summary>
internal sealed class RateLimitChatClient(IChatClient inner, string provider, IRateLimiter limiter, TimeProvider time,
    IResilienceObserver observer) : DelegatingChatClient(inner)
{
    /// <summary>The output estimate when the call's options carry no <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    internal const int DefaultOutputEstimate = 8192;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var estimate = await AcquireAsync(messages, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Correct(estimate, response.Usage);
            Adapt(response.AdditionalProperties);
            return response;
        }
        catch (ProviderException ex)
        {
            Failed(ex);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var estimate = await AcquireAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var usage = new UsageDetails();
        var updates = StreamFailures.Observe(base.GetStreamingResponseAsync(messages, options, cancellationToken), ex =>
        {
            if (ex is ProviderException provider)
            {
                Failed(provider);
            }
        }, cancellationToken);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            Adapt(update.AdditionalProperties);
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage.Add(content.Details);
            }
            yield return update;
        }
        Correct(estimate, usage);
    }

    /// <summary>The estimated token cost of a request: its characters / chars-per-token + its output cap.</summary>
    internal static long Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options, RateLimitOptions limits)
    {
        long chars = 0;
        foreach (var message in messages)
        {
            chars += message.Text.Length;
        }
        return (long)Math.Ceiling(chars / limits.CharsPerToken) + (options?.MaxOutputTokens ?? DefaultOutputEstimate);
    }

    private async Task<long> AcquireAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var estimate = Estimate(messages, options, limiter.Options);
        var (waited, reason) = await limiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        if (waited > TimeSpan.Zero)
        {
            observer.OnRateLimitWait(provider, waited, reason);
        }
        return estimate;
    }

    private void Correct(long estimate, UsageDetails? usage)
    {
        if (usage?.InputTokenCount is { } input)
        {
            limiter.Correct(estimate, input + (usage.OutputTokenCount ?? 0));
        }
    }

    /// <summary>
    /// Rate-limit headers, when the provider client exposes them as <see cref="ResiliencePipeline.ResponseHeadersProperty"/>
    /// (the clients of <see cref="Providers.ProviderClientFactory"/> put them on every response and final update).
    /// </summary>
    private void Adapt(AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(ResiliencePipeline.ResponseHeadersProperty, out var value) == true
            && value is IReadOnlyDictionary<string, string> headers)
        {
            var parsed = RateLimitHeaders.Parse(headers, time.GetUtcNow());
            if (!parsed.IsEmpty)
            {
                limiter.Adapt(parsed);
            }
        }
    }

    private void Failed(ProviderException ex)
    {
        if (ex.StatusCode == 429 && ex.RetryAfter is { } wait)
        {
            limiter.PauseFor(wait);
        }
    }
}
