using Microsoft.Extensions.AI;

namespace SpecSynth.Middleware;

/// <summary>
/// The resilience middleware over a fallback chain of provider clients, built by <see cref="Pipeline.SpecSynthPipeline"/> (the one
/// place the order is kept; the run's client adds redaction, usage ledger, budgets and cache around it). Per provider, outermost first:
/// continuation (max-tokens cut) → retry (backoff, retry-after, stream restart) → budget check (paid links) → circuit breaker (per attempt) → key rotation →
/// per key: client-side rate limit → attempt time limits (idle, whole attempt) → context-too-long detection → the provider's client.
/// Around them all, the fallback over the chain.
/// </summary>
/// <remarks>
/// <para><b>Output rule.</b> Non-streaming calls are retried, continued and failed over freely: nothing reached the
/// caller. Streaming calls forward updates as they arrive; if a stream then fails (cut, stall, error event), it is
/// started again as a whole (same provider while retries last, else the next provider): the observer hears
/// <see cref="IResilienceObserver.OnStreamRestart"/> and the first update of the new attempt carries
/// <see cref="RestartProperty"/> = <c>true</c>. A caller that gathers updates must drop what it gathered when it
/// sees the marker (<see cref="IsRestart"/>); a caller that writes output as it streams must not use streaming here.</para>
/// <para><b>Result.</b> The response (streaming: the first update of the answering provider) carries
/// <see cref="ProviderProperty"/> (the provider that answered) and <see cref="SkippedProperty"/> (<c>string[]</c>,
/// "provider: why" for each provider skipped before it).</para>
/// <para><b>Errors.</b> All providers failing gives <see cref="SpecSynthException"/> <see cref="ErrorKind.ProviderUnavailable"/>
/// naming each failure; with a single provider its own <see cref="SpecSynth.Providers.ProviderException"/> is rethrown (an Auth failure
/// stays Auth). A prompt too long for the model gives <see cref="ContextTooLongException"/> without retry or fallback.</para>
/// </remarks>
internal static class ResiliencePipeline
{
    /// <summary>Response property: the provider that answered.</summary>
    public const string ProviderProperty = "specsynth.provider";

    /// <summary>Response property: <c>string[]</c> of "provider: reason" for the providers skipped before it.</summary>
    public const string SkippedProperty = "specsynth.skipped";

    /// <summary>
    /// Response (or update) property read by the rate limiter: the HTTP response's headers as
    /// <c>IReadOnlyDictionary&lt;string, string&gt;</c> (names in lower case), when the provider client exposes them.
    /// </summary>
    public const string ResponseHeadersProperty = SpecSynth.Providers.ProviderErrorsChatClient.HeadersProperty;

    /// <summary>Response (streaming: first update) property: the alias (environment variable name) of the key that answered.</summary>
    public const string KeyAliasProperty = "specsynth.key_alias";

    /// <summary>Update property: <c>true</c> on the first update after a stream restart; drop everything received before it.</summary>
    public const string RestartProperty = "specsynth.restart";

    /// <summary>Builds the fallback over <paramref name="chain"/> with each provider's resilience layers (through
    /// <see cref="Pipeline.SpecSynthPipeline"/>, the one place the order is kept), without the run's outer layers (redaction,
    /// usage ledger, budgets, response cache).</summary>
    /// <param name="chain">The providers, in order of preference (at least one).</param>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="time">The clock of every wait and timeout.</param>
    /// <param name="observer">Hears every event; <c>null</c> for none.</param>
    /// <param name="registry">Rate limiters and circuits shared across pipelines; <c>null</c> gives this pipeline its own.</param>
    /// <exception cref="SpecSynthException">Invalid options or an empty chain (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static IChatClient Build(IReadOnlyList<ProviderLink> chain, ResilienceOptions options, TimeProvider time,
        IResilienceObserver? observer = null, ResilienceRegistry? registry = null) =>
        BuildWith(chain, options, time, observer, registry, Random.Shared);

    internal static IChatClient BuildWith(IReadOnlyList<ProviderLink> chain, ResilienceOptions options, TimeProvider time,
        IResilienceObserver? observer, ResilienceRegistry? registry, Random random)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return Pipeline.SpecSynthPipeline.Build(new Pipeline.PipelinePlan(chain, options, time, observer ?? NullResilienceObserver.Instance,
            registry ?? new ResilienceRegistry(time))
        {
            Random = random,
            Redact = false,
        });
    }

    /// <summary>Whether <paramref name="update"/> starts a restarted stream (see the remarks).</summary>
    public static bool IsRestart(ChatResponseUpdate update) =>
        update?.AdditionalProperties?.TryGetValue(RestartProperty, out var value) == true && value is true;

    internal static void MarkRestart(ChatResponseUpdate update) =>
        (update.AdditionalProperties ??= [])[RestartProperty] = true;
}
