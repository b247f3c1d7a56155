using Microsoft.Extensions.AI;
using SpecSynth.Middleware;

namespace SpecSynth.Pipeline;

/// <summary>
/// The one place the chat-client pipeline is assembled, in one order (outermost first, see <see cref="Layers"/>). The
/// client factory (configured providers, or a host's own <see cref="IChatClient"/> as the only link),
/// <see cref="ResiliencePipeline.Build"/> and <see cref="SpecSynthChatClientBuilderExtensions.UseSpecSynth"/> all build
/// through it; each layer is added by its <c>UseSpecSynth*</c> extension on <see cref="ChatClientBuilder"/>.
/// </summary>
/// <remarks>
/// <para>Around the whole chain: redaction (every prompt, before anything else sees it), the usage ledger (one row per
/// logical call, cache hits included), the budgets' local reroute, the response cache, then the fallback over the
/// providers.</para>
/// <para>Per provider: continuation (a reply cut at max tokens), retry (backoff, retry-after, stream restart), the budget
/// check (paid links), the circuit breaker, the key rotation (several keys, or a named one); per key: rate limits (client
/// buckets and the server's headers), attempt time limits, context-length detection, the error translation of a host's own
/// client (the providers specsynth builds translate their own), the OpenTelemetry <c>chat {model}</c> span of each real
/// attempt (MEAI's <see cref="OpenTelemetryChatClient"/> on <see cref="SpecSynthTelemetry.ActivitySourceName"/>), then the
/// provider's client.</para>
/// </remarks>
internal static class SpecSynthPipeline
{
    /// <summary>The layers in order, outermost first (a layer a run does not need is left out, never moved).</summary>
    public static IReadOnlyList<string> Layers { get; } =
    [
        "Redaction", "UsageLedger", "BudgetFallback", "ResponseCache", "Fallback",
        "Continuation", "Retry", "Budget", "CircuitBreaker", "KeyRotation",
        "RateLimits", "AttemptTimeout", "ContextLength", "HostErrors", "Telemetry",
    ];

    /// <summary>Builds the whole pipeline of <paramref name="plan"/>.</summary>
    /// <exception cref="SpecSynthException">Invalid options or an empty chain (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static IChatClient Build(PipelinePlan plan)
    {
        Validate(plan);
        var builder = new ChatClientBuilder(plan.Links[0].Client);
        if (plan.Redact)
        {
            builder.UseSpecSynthRedaction();
        }
        if (plan.Usage is { } usage)
        {
            builder.UseSpecSynthUsageLedger(usage, plan.Time);
        }
        if (plan.BudgetFallback is { } budget)
        {
            builder.UseSpecSynthBudgetFallback(budget);
        }
        if (plan.Cache is { } cache)
        {
            builder.UseSpecSynthResponseCache(cache);
        }
        var first = plan.Links[0];
        builder.UseSpecSynthFallback(first.Name, [.. plan.Links.Skip(1).Select(link => (link.Name, Link(link, plan)))], plan.Observer);
        return AddLink(builder, first, plan).Build();
    }

    /// <summary>The per-provider stack of <paramref name="link"/> (continuation down to its client).</summary>
    private static IChatClient Link(ProviderLink link, PipelinePlan plan) => AddLink(new ChatClientBuilder(link.Client), link, plan).Build();

    /// <summary>Adds the per-provider layers around the builder's client, which is <paramref name="link"/>'s client.</summary>
    private static ChatClientBuilder AddLink(ChatClientBuilder builder, ProviderLink link, PipelinePlan plan)
    {
        var options = plan.Resilience;
        link.RateLimit?.Validate();
        builder
            .UseSpecSynthContinuation(options.Continuation, link.Name, plan.Observer)
            .UseSpecSynthRetry(options.Retry, link.Name, plan.Observer, plan.Time, plan.Random);
        if (link.Budget is { } budget)
        {
            // Per attempt and per continuation round: each request reserves its worst case and settles (or releases) it.
            builder.UseSpecSynthBudget(budget, link.Name);
        }
        builder.UseSpecSynthCircuitBreaker(link.Name, plan.Registry.Circuit(link.StateKey, options.CircuitBreaker), plan.Observer);
        if (link.Keys is { Count: > 1 } keys)
        {
            // Each key has its own buckets and stream guard; the rotation picks a key per call (the link's client is one of
            // the keys' clients and gets its stack there).
            var perKey = keys.Select(k => k with { Client = AddKey(new ChatClientBuilder(k.Client), link, link.Name + "+" + k.Alias, plan).Build() }).ToList();
            return builder.UseSpecSynthKeyRotation(link.Name, perKey, options.KeyCoolDown, plan.Time, plan.Observer);
        }
        if (link.KeyAlias is { } alias)
        {
            builder.UseSpecSynthKeyRotation(link.Name, alias, options.KeyCoolDown, plan.Time, plan.Observer);
        }
        return AddKey(builder, link, link.StateKey, plan);
    }

    /// <summary>Adds the per-key layers (rate limits, attempt time limits, context length) around the builder's client.</summary>
    private static ChatClientBuilder AddKey(ChatClientBuilder builder, ProviderLink link, string stateKey, PipelinePlan plan)
    {
        var limits = link.RateLimit ?? new RateLimitOptions();
        var limiter = limits.IsEnabled ? plan.Registry.Limiter(stateKey, limits) : null;
        return builder
            .UseSpecSynthRateLimits(link.Name, limiter, plan.Registry.ServerLimits(stateKey), limits, plan.Time, plan.Observer)
            .UseSpecSynthAttemptTimeout(new AttemptTimeoutOptions
            {
                StreamIdleTimeout = plan.Resilience.StreamIdleTimeout,
                AttemptTimeout = plan.Resilience.Retry.AttemptTimeout,
            }, link.Name, plan.Time)
            .UseSpecSynthContextLength(link.ContextWindow)
            .UseSpecSynthHostErrors(link.IsHostClient ? link.Name : null, plan.Time, link.HostSdkErrors)
            .UseSpecSynthTelemetry(link.Name, plan.IncludeContent);
    }

    private static void Validate(PipelinePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plan.Links);
        ArgumentNullException.ThrowIfNull(plan.Resilience);
        RetryOptions.Check(plan.Links.Count > 0, "the provider chain is empty");
        plan.Resilience.Validate();
    }
}
