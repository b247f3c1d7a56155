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
    RateLimitOptions estimates, TimeProvider time, IResilienceObserver observer) : StreamObservingChatClient(inner)
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

    /// <remarks>Its streams are driven by the breaker's <see cref="ObservedStream"/> when it sits right above.</remarks>
    private protected override StreamGuards Guard(IChatClient inner) => StreamGuards.Over(this, inner);

    /// <summary>What a stream holds from its start to its end.</summary>
    internal struct StreamTicket
    {
        public long Estimate;
        public long Ticket;

        /// <summary>Only the limiter's correction reads the usage, and only its input and output counts: summed here as
        /// <see cref="UsageDetails.Add"/> would (null until a report has one), without a <see cref="UsageDetails"/> per stream.</summary>
        public long? Input;
        public long? Output;

        /// <summary>Whether the server tracker was told about the reply (else the request is released at the end).</summary>
        public bool Adapted;
    }

    /// <summary>A stream's start: waits for the buckets and the server's limits.</summary>
    internal async ValueTask<StreamTicket> AcquireStreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var (estimate, ticket) = await AcquireAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return new StreamTicket { Estimate = estimate, Ticket = ticket };
    }

    /// <summary>Adapts to <paramref name="update"/>'s headers and adds up its usage.</summary>
    internal void Observe(ref StreamTicket ticket, ChatResponseUpdate update)
    {
        ticket.Adapted |= Adapt(ticket.Ticket, update.AdditionalProperties);
        // An index loop: no enumerator per update.
        var contents = update.Contents;
        for (var i = 0; limiter is not null && i < contents.Count; i++)
        {
            if (contents[i] is UsageContent content)
            {
                ticket.Input = Sum(ticket.Input, content.Details.InputTokenCount);
                ticket.Output = Sum(ticket.Output, content.Details.OutputTokenCount);
            }
        }
    }

    /// <summary>The stream ended (however): the request is released unless the server tracker was told about its reply.</summary>
    internal void Release(in StreamTicket ticket)
    {
        if (!ticket.Adapted)
        {
            server.Release(ticket.Ticket);
        }
    }

    /// <summary>The stream was read to its end: the token bucket is corrected from its usage.</summary>
    internal void Correct(in StreamTicket ticket) => Correct(ticket.Estimate, ticket.Input, ticket.Output);

    /// <summary>The stream failed with <paramref name="ex"/>: the request is released; a 429's retry-after pauses the key.</summary>
    internal void Failed(in StreamTicket ticket, Exception ex) => Failed(ticket.Ticket, ex);

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
