using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// Waits before each request of a provider key: for its configured client-side buckets (<paramref name="limiter"/>,
/// when limits are configured; cost = request + (characters / chars-per-token + max output tokens), corrected from the
/// reported usage), then for what the server's rate-limit headers say is left (<paramref name="server"/>, always). A 429
/// with retry-after pauses every caller of the key.
/// </summary>
internal sealed class RateLimitChatClient(IChatClient inner, string provider, IRateLimiter? limiter, ServerRateLimits server,
    RateLimitOptions estimates, TimeProvider time, IResilienceObserver observer) : DelegatingChatClient(inner)
{
    /// <summary>The output estimate when the call's options carry no <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    internal const int DefaultOutputEstimate = 8192;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (estimate, ticket) = await AcquireAsync(messages, options, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Correct(estimate, response.Usage);
            Adapt(ticket, response.AdditionalProperties);
            return response;
        }
        catch (Exception ex)
        {
            Failed(ticket, ex);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (estimate, ticket) = await AcquireAsync(messages, options, cancellationToken).ConfigureAwait(false);
        // Only the limiter's correction reads the usage, and only its input and output counts: summed here as
        // UsageDetails.Add would (null until a report has one), without a UsageDetails per stream.
        long? input = null, output = null;
        var adapted = false;
        try
        {
            // The inner stream's failures are seen here (no StreamFailures.Observe iterator and closure per stream).
            var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (updates.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception ex)
                    {
                        Failed(ticket, ex);
                        throw;
                    }
                    var update = updates.Current;
                    adapted |= Adapt(ticket, update.AdditionalProperties);
                    // An index loop: no enumerator per update.
                    for (var i = 0; limiter is not null && i < update.Contents.Count; i++)
                    {
                        if (update.Contents[i] is UsageContent content)
                        {
                            input = Sum(input, content.Details.InputTokenCount);
                            output = Sum(output, content.Details.OutputTokenCount);
                        }
                    }
                    yield return update;
                }
            }
        }
        finally
        {
            if (!adapted)
            {
                server.Release(ticket);
            }
        }
        Correct(estimate, input, output);
    }

    private static long? Sum(long? total, long? value) => total is null ? value : total + (value ?? 0);

    /// <summary>The estimated token cost of a request: its characters / chars-per-token + its output cap.</summary>
    /// <remarks>The characters are those of <see cref="ChatMessage.Text"/> (its text contents joined), summed without joining
    /// them, and a list is walked by index: no enumerator and no joined string per request.</remarks>
    internal static long Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options, RateLimitOptions limits)
    {
        long chars = 0;
        if (messages is IList<ChatMessage> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                chars += TextLength(list[i]);
            }
        }
        else
        {
            foreach (var message in messages)
            {
                chars += TextLength(message);
            }
        }
        return (long)Math.Ceiling(chars / limits.CharsPerToken) + (options?.MaxOutputTokens ?? DefaultOutputEstimate);
    }

    /// <summary>The length of <paramref name="message"/>'s <see cref="ChatMessage.Text"/>: the sum of its text contents' lengths.</summary>
    private static long TextLength(ChatMessage message)
    {
        var contents = message.Contents;
        long length = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent text)
            {
                length += text.Text.Length;
            }
        }
        return length;
    }

    /// <remarks>A <see cref="ValueTask{TResult}"/>: with nothing to wait for it completes at once, without a task per request.</remarks>
    private async ValueTask<(long Estimate, long Ticket)> AcquireAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var estimate = Estimate(messages, options, limiter?.Options ?? estimates);
        var waited = TimeSpan.Zero;
        string? reason = null;
        if (limiter is not null)
        {
            (waited, reason) = await limiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        }
        var (ticket, held, why) = await server.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        if (held > TimeSpan.Zero)
        {
            reason = waited > held ? reason : why;
            waited += held;
        }
        if (waited > TimeSpan.Zero)
        {
            observer.OnRateLimitWait(provider, waited, reason ?? ServerRateLimits.HeadersReason);
        }
        return (estimate, ticket);
    }

    private void Correct(long estimate, UsageDetails? usage) => Correct(estimate, usage?.InputTokenCount, usage?.OutputTokenCount);

    private void Correct(long estimate, long? input, long? output)
    {
        if (limiter is not null && input is { } sent)
        {
            limiter.Correct(estimate, sent + (output ?? 0));
        }
    }

    /// <summary>
    /// Rate-limit headers, when the provider client exposes them as <see cref="ResiliencePipeline.ResponseHeadersProperty"/>
    /// (the clients of <c>ProviderClientFactory</c> (package <c>SpecSynth.Providers</c>) put them on every response and final update).
    /// Returns whether the server tracker was told about the reply.
    /// </summary>
    private bool Adapt(long ticket, AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(ResiliencePipeline.ResponseHeadersProperty, out var value) != true
            || value is not IReadOnlyDictionary<string, string> headers)
        {
            return false;
        }
        var parsed = RateLimitHeaders.Parse(headers, time.GetUtcNow());
        server.Observe(ticket, parsed);
        if (!parsed.IsEmpty)
        {
            limiter?.Adapt(parsed);
        }
        return true;
    }

    private void Failed(long ticket, Exception ex)
    {
        server.Release(ticket);
        if (ex is ProviderException { StatusCode: 429, RetryAfter: { } wait })
        {
            limiter?.PauseFor(wait);
            server.PauseFor(wait);
        }
    }
}
