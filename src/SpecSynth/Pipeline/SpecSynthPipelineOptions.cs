using SpecSynth.Middleware;

namespace SpecSynth;

/// <summary>
/// The settings of <see cref="SpecSynthChatClientBuilderExtensions.UseSpecSynth"/>: specsynth's middleware around a host's own
/// <c>IChatClient</c> (Azure OpenAI, Semantic Kernel, a gateway). Validated when the pipeline is built.
/// </summary>
public sealed record SpecSynthPipelineOptions
{
    /// <summary>The name the layers give the client in events, errors and results. Default <c>host</c>.</summary>
    public string Provider { get; init; } = SpecSynthChatClientBuilderExtensions.HostProvider;

    /// <summary>Retries, circuit breaker, continuation, stream idle timeout. Default: the defaults of each.</summary>
    public ResilienceOptions Resilience { get; init; } = new();

    /// <summary>Client-side requests and tokens per minute, or <c>null</c> for none (the server's rate-limit headers are
    /// followed either way).</summary>
    public RateLimitOptions? RateLimits { get; init; }

    /// <summary>The model's context window in tokens, so a prompt too long for it fails without a retry; <c>null</c> when
    /// unknown.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Hears every retry, wait, restart, fallback and continuation; <c>null</c> takes the
    /// <see cref="IResilienceObserver"/> of the builder's services, if any.</summary>
    public IResilienceObserver? Observer { get; init; }

    /// <summary>The clock of every wait and timeout; <c>null</c> takes the <see cref="System.TimeProvider"/> of the builder's
    /// services, else the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Provider);
        ArgumentNullException.ThrowIfNull(Resilience);
        Resilience.Validate();
        RateLimits?.Validate();
        RetryOptions.Check(ContextWindow is null or > 0, "the context window must be positive");
    }
}
