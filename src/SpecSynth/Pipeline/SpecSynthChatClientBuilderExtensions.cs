using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Budget;
using SpecSynth.Hosting;
using SpecSynth.Middleware;
using SpecSynth.Pipeline;
using SpecSynth.Providers.Keys;
using SpecSynth.Usage;

namespace SpecSynth;

/// <summary>
/// specsynth's middleware as <see cref="ChatClientBuilder"/> extensions, in MEAI's style: the first <c>Use</c> is the
/// outermost layer. <see cref="UseSpecSynth"/> adds them all in the pipeline's order around any <see cref="IChatClient"/>
/// (a host's Azure OpenAI, Semantic Kernel or gateway client); the others add one layer each. Options are validated when
/// the pipeline is built (<see cref="ChatClientBuilder.Build"/>): invalid ones throw <see cref="SpecSynthException"/>
/// (<see cref="ErrorKind.InvalidInput"/>). A clock or observer not given is taken from the builder's services
/// (<see cref="TimeProvider"/>, <see cref="IResilienceObserver"/>), else the system clock and no observer.
/// </summary>
public static class SpecSynthChatClientBuilderExtensions
{
    /// <summary>The provider name of a host's own client in events, errors and results.</summary>
    public const string HostProvider = "host";

    /// <summary>
    /// Adds specsynth's whole pipeline around the builder's client, outermost first: redaction, fallback (the one link:
    /// names the provider in the answer, one error shape), continuation, retry, circuit breaker, rate limits, attempt time
    /// limits, context-length detection and the translation of the client's failures (an HTTP 429 or 5xx, a cut connection)
    /// into retryable <see cref="SpecSynth.Providers.ProviderException"/>s. The usage ledger, response cache and budgets need the state folder and are
    /// added by <c>AddSpecSynth</c>'s client factory.
    /// </summary>
    /// <param name="builder">The builder over the host's client.</param>
    /// <param name="options">The settings; <c>null</c> for the defaults.</param>
    public static ChatClientBuilder UseSpecSynth(this ChatClientBuilder builder, SpecSynthPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new SpecSynthPipelineOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            var time = Time(options.TimeProvider, services);
            var link = new ProviderLink(options.Provider, inner, options.ContextWindow) { RateLimit = options.RateLimits, IsHostClient = true };
            var plan = new PipelinePlan([link], options.Resilience, time, Observer(options.Observer, services), Registry(services, time));
            return SpecSynthPipeline.Build(plan);
        });
    }

    /// <summary>
    /// Redacts every text of every message (API keys, tokens, private keys; see the README's redaction list) before the
    /// layers inside it or the provider see it. Outermost in specsynth's pipeline.
    /// </summary>
    /// <param name="builder">The builder.</param>
    public static ChatClientBuilder UseSpecSynthRedaction(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new RedactingChatClient(inner));
    }

    /// <summary>
    /// Records every logical call (streamed or not; answered, cache hit, failed, cancelled) as one row of the usage ledger
    /// and one line of the audit log in <see cref="UsageLedgerLayerOptions.StateFolder"/>, priced with
    /// <see cref="UsageLedgerLayerOptions.Pricing"/>. In specsynth's pipeline it sits just inside the redaction, so cache
    /// hits are recorded too.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The state folder, provider and prices.</param>
    /// <param name="timeProvider">The clock of timestamps and latencies; <c>null</c> takes the services' clock, else the system clock.</param>
    public static ChatClientBuilder UseSpecSynthUsageLedger(this ChatClientBuilder builder, UsageLedgerLayerOptions options,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use((inner, services) =>
        {
            options.Validate();
            var time = Time(timeProvider, services);
            var audit = new AuditLog(Path.Combine(options.StateFolder, AuditLog.FileName), AuditLog.Who(Environment.GetEnvironmentVariable),
                options.Audit.IncludePrompts, time);
            var usage = new UsageLayer(new UsageLedger(Path.Combine(options.StateFolder, UsageLedger.FileName)), audit, options.Audit.IncludePrompts,
                options.RunId is { } runId ? new UsageContext(runId, options.Project is null ? null : Path.GetFullPath(options.Project)) : UsageContext.New(time, options.Project),
                [new UsageChainEntry(options.Provider, options.Model, options.Pricing?.ToModelInfo(options.Provider, options.Model))], options.OnWarning);
            return new UsageRecordingChatClient(inner, usage.Ledger, usage.Audit, usage.IncludePrompts, usage.Context, usage.Chain, time, usage.OnWarning);
        });
    }

    /// <summary>
    /// Answers a request seen before from the cache (streamed replies replayed as updates, marked with
    /// <see cref="Caching.ResponseCache.HitProperty"/>) and stores complete replies only. The key is the request, the
    /// options that change the reply, the prompt template version and <see cref="ResponseCacheLayerOptions.ChainKeys"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Store, mode and lifetime; <c>null</c> for the defaults over the services' <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>.</param>
    /// <exception cref="InvalidOperationException">No storage given and none registered (when the pipeline is built).</exception>
    public static ChatClientBuilder UseSpecSynthResponseCache(this ChatClientBuilder builder, ResponseCacheLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ResponseCacheLayerOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            var storage = options.Storage ?? services.GetService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>()
                ?? throw new InvalidOperationException("UseSpecSynthResponseCache needs a storage: set ResponseCacheLayerOptions.Storage or register an IDistributedCache.");
            return new Caching.ResponseCachingChatClient(inner, storage, options.Mode, options.Ttl, options.ChainKeys);
        });
    }

    /// <summary>
    /// The fallback over one provider: records in the answer which provider answered (<see cref="ResiliencePipeline.ProviderProperty"/>)
    /// and gives one error shape for every failure. Over a chain of several providers (the configured ones) it also tries the
    /// next provider when one is exhausted, open or refused.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider's name; default <see cref="HostProvider"/>.</param>
    /// <param name="observer">Hears each fallback; <c>null</c> takes the services' observer, if any.</param>
    public static ChatClientBuilder UseSpecSynthFallback(this ChatClientBuilder builder, string provider = HostProvider,
        IResilienceObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return builder.Use((inner, services) => new FallbackChatClient([(provider, inner)], Observer(observer, services)));
    }

    /// <summary>Continues a reply cut at its output cap (finish reason length) and stitches the parts (same provider).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Rounds and prompt; <c>null</c> for the defaults.</param>
    /// <param name="provider">The provider's name in events; default <see cref="HostProvider"/>.</param>
    /// <param name="observer">Hears each continuation; <c>null</c> takes the services' observer, if any.</param>
    public static ChatClientBuilder UseSpecSynthContinuation(this ChatClientBuilder builder, ContinuationOptions? options = null,
        string provider = HostProvider, IResilienceObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new ContinuationOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            return new ContinuationChatClient(inner, provider, options, Observer(observer, services));
        });
    }

    /// <summary>
    /// Retries retryable failures (429, 5xx, timeouts, cut streams) with exponential backoff and full jitter, never earlier
    /// than the server's <c>retry-after</c>; a stream that failed after its first update is restarted as a whole and the
    /// new attempt's first update is marked (<see cref="ResiliencePipeline.IsRestart"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Attempts and delays; <c>null</c> for the defaults.</param>
    /// <param name="provider">The provider's name in events; default <see cref="HostProvider"/>.</param>
    /// <param name="observer">Hears each retry and wait; <c>null</c> takes the services' observer, if any.</param>
    /// <param name="timeProvider">The clock of the waits; <c>null</c> takes the services' clock, else the system clock.</param>
    public static ChatClientBuilder UseSpecSynthRetry(this ChatClientBuilder builder, RetryOptions? options = null,
        string provider = HostProvider, IResilienceObserver? observer = null, TimeProvider? timeProvider = null) =>
        builder.UseSpecSynthRetry(options ?? new RetryOptions(), provider, observer, timeProvider, Random.Shared);

    /// <summary>
    /// Opens the provider's circuit after consecutive failures: while it is open, calls fail at once (a fallback chain skips
    /// the provider without a request); after the break one trial call is let through.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Threshold and break; <c>null</c> for the defaults.</param>
    /// <param name="provider">The provider's name in events and the key of its circuit; default <see cref="HostProvider"/>.</param>
    /// <param name="observer">Hears the circuit opening; <c>null</c> takes the services' observer, if any.</param>
    /// <param name="timeProvider">The clock of the break; <c>null</c> takes the services' clock, else the system clock.</param>
    public static ChatClientBuilder UseSpecSynthCircuitBreaker(this ChatClientBuilder builder, CircuitBreakerOptions? options = null,
        string provider = HostProvider, IResilienceObserver? observer = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new CircuitBreakerOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            var time = Time(timeProvider, services);
            return new CircuitBreakerChatClient(inner, provider, Registry(services, time).Circuit(provider, options), Observer(observer, services));
        });
    }

    /// <summary>
    /// Client-side rate limits: token buckets for requests and tokens per minute (a request waits until both can pay for
    /// it, corrected from the reported usage), and the server's rate-limit headers (a request waits for a window the server
    /// said is spent).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The limits; <c>null</c> for none of our own (the server's headers are followed either way).</param>
    /// <param name="provider">The provider's name in events and the key of its buckets; default <see cref="HostProvider"/>.</param>
    /// <param name="observer">Hears each wait; <c>null</c> takes the services' observer, if any.</param>
    /// <param name="timeProvider">The clock of the buckets; <c>null</c> takes the services' clock, else the system clock.</param>
    public static ChatClientBuilder UseSpecSynthRateLimits(this ChatClientBuilder builder, RateLimitOptions? options = null,
        string provider = HostProvider, IResilienceObserver? observer = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new RateLimitOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            var time = Time(timeProvider, services);
            var registry = Registry(services, time);
            var limiter = options.IsEnabled ? registry.Limiter(provider, options) : null;
            return new RateLimitChatClient(inner, provider, limiter, registry.ServerLimits(provider), options, time, Observer(observer, services));
        });
    }

    /// <summary>Abandons an attempt over its time limit, or a stream silent for too long, as a retryable timeout.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The limits; <c>null</c> for the defaults.</param>
    /// <param name="provider">The provider's name in errors; default <see cref="HostProvider"/>.</param>
    /// <param name="timeProvider">The clock of the limits; <c>null</c> takes the services' clock, else the system clock.</param>
    public static ChatClientBuilder UseSpecSynthAttemptTimeout(this ChatClientBuilder builder, AttemptTimeoutOptions? options = null,
        string provider = HostProvider, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new AttemptTimeoutOptions();
        return builder.Use((inner, services) =>
        {
            options.Validate();
            return new AttemptTimeoutChatClient(inner, provider, options.StreamIdleTimeout, options.AttemptTimeout, Time(timeProvider, services));
        });
    }

    /// <summary>Turns a provider's "prompt too long" refusal into <see cref="ContextTooLongException"/> (never retried or
    /// failed over; the caller shrinks the context).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="contextWindow">The model's context window in tokens, for the exception; <c>null</c> when unknown.</param>
    public static ChatClientBuilder UseSpecSynthContextLength(this ChatClientBuilder builder, int? contextWindow = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new ContextLengthChatClient(inner, contextWindow));
    }

    /// <summary>Translates a host client's failures (<paramref name="provider"/> set) into <see cref="SpecSynth.Providers.ProviderException"/>;
    /// nothing for a client specsynth built (<c>null</c>).</summary>
    /// <summary>The <c>chat {model}</c> span and GenAI metrics of each real provider attempt (MEAI's
    /// <see cref="OpenTelemetryChatClient"/> on specsynth's source and meter, called only while someone listens), with the
    /// details it leaves out.</summary>
    internal static ChatClientBuilder UseSpecSynthTelemetry(this ChatClientBuilder builder, string provider, bool includeContent) =>
        builder
            .Use(inner => new Telemetry.ListenedTelemetryChatClient(
                new OpenTelemetryChatClient(inner, sourceName: SpecSynthTelemetry.ActivitySourceName), inner))
            .Use(inner => new Telemetry.ChatSpanDetailsChatClient(inner, provider, includeContent));

    internal static ChatClientBuilder UseSpecSynthHostErrors(this ChatClientBuilder builder, string? provider, TimeProvider time,
        SpecSynth.Providers.IProviderSdkErrors? sdk = null) =>
        provider is null ? builder : builder.Use(inner => new HostErrorsChatClient(inner, provider, time, sdk));

    internal static ChatClientBuilder UseSpecSynthRetry(this ChatClientBuilder builder, RetryOptions options, string provider,
        IResilienceObserver? observer, TimeProvider? timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use((inner, services) =>
        {
            options.Validate();
            return new RetryChatClient(inner, provider, options, Time(timeProvider, services), Observer(observer, services), random);
        });
    }

    internal static ChatClientBuilder UseSpecSynthFallback(this ChatClientBuilder builder, string provider,
        IReadOnlyList<(string Name, IChatClient Client)> next, IResilienceObserver observer) =>
        builder.Use(inner => new FallbackChatClient([(provider, inner), .. next], observer));

    internal static ChatClientBuilder UseSpecSynthUsageLedger(this ChatClientBuilder builder, UsageLayer usage, TimeProvider time) =>
        builder.Use(inner => new UsageRecordingChatClient(inner, usage.Ledger, usage.Audit, usage.IncludePrompts, usage.Context, usage.Chain,
            time, usage.OnWarning)
        {
            Logger = usage.Logger,
        });

    internal static ChatClientBuilder UseSpecSynthBudgetFallback(this ChatClientBuilder builder, BudgetFallbackLayer budget) =>
        builder.Use(inner => new BudgetFallbackChatClient(inner, budget.Ledger, budget.LocalName, budget.CreateLocal, budget.OnWarning));

    internal static ChatClientBuilder UseSpecSynthResponseCache(this ChatClientBuilder builder, CacheLayer cache) =>
        builder.Use(inner => cache.Store.Wrap(inner, cache.Mode, cache.Ttl, cache.Chain));

    internal static ChatClientBuilder UseSpecSynthBudget(this ChatClientBuilder builder, LinkBudget budget, string provider) =>
        builder.Use(inner => new BudgetChatClient(inner, provider, budget));

    internal static ChatClientBuilder UseSpecSynthCircuitBreaker(this ChatClientBuilder builder, string provider, CircuitState circuit,
        IResilienceObserver observer) =>
        builder.Use(inner => new CircuitBreakerChatClient(inner, provider, circuit, observer));

    /// <summary>The rotation over several keys, each with its own stack; the builder's client is one of them and is replaced.</summary>
    internal static ChatClientBuilder UseSpecSynthKeyRotation(this ChatClientBuilder builder, string provider, IReadOnlyList<ProviderKey> keys,
        TimeSpan coolDown, TimeProvider time, IResilienceObserver observer) =>
        builder.Use(_ => new KeyRotatingChatClient(provider, keys, coolDown, time, observer));

    /// <summary>The rotation over the one key the builder's client uses (named, so its events and ledger rows name it).</summary>
    internal static ChatClientBuilder UseSpecSynthKeyRotation(this ChatClientBuilder builder, string provider, string alias,
        TimeSpan coolDown, TimeProvider time, IResilienceObserver observer) =>
        builder.Use(inner => new KeyRotatingChatClient(provider, [new ProviderKey(alias, inner)], coolDown, time, observer));

    internal static ChatClientBuilder UseSpecSynthRateLimits(this ChatClientBuilder builder, string provider, IRateLimiter? limiter,
        ServerRateLimits server, RateLimitOptions estimates, TimeProvider time, IResilienceObserver observer) =>
        builder.Use(inner => new RateLimitChatClient(inner, provider, limiter, server, estimates, time, observer));

    private static TimeProvider Time(TimeProvider? given, IServiceProvider services) =>
        given ?? services.GetService<TimeProvider>() ?? services.GetService<RunServices>()?.Time ?? CompositionRoot.SystemClock;

    private static IResilienceObserver Observer(IResilienceObserver? given, IServiceProvider services) =>
        given ?? services.GetService<IResilienceObserver>() ?? NullResilienceObserver.Instance;

    /// <summary>The host's registry (shared limits and circuits) when its services have one, else one for this pipeline.</summary>
    private static ResilienceRegistry Registry(IServiceProvider services, TimeProvider time) =>
        services.GetService<RunServices>()?.Resilience() ?? new ResilienceRegistry(time);
}
