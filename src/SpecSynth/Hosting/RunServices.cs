using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpecSynth.Config;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Hosting;

/// <summary>
/// What every run of one host shares, passed down explicitly instead of living in static fields: the clock, the environment
/// reader, the state folder, the model catalog, the rate-limit and circuit registry, and the memory of parameters a model
/// refused. Created once per host (the CLI's process, a <c>SpecSynthesizer</c>) by its composition root; a test creates
/// its own with a fake clock and a temporary state folder. Thread-safe.
/// </summary>
internal sealed class RunServices
{
    private readonly ConcurrentDictionary<string, ResilienceRegistry> _registries = new(StringComparer.Ordinal);

    /// <summary>Creates the services of one host.</summary>
    /// <param name="time">The clock of every timestamp, wait and timeout.</param>
    /// <param name="getEnv">Reads an environment variable (the state folder, keys, base URLs); <c>null</c> when unset.</param>
    /// <param name="catalog">Limits and prices of known models; <c>null</c> for <see cref="ModelCatalog.BuiltIn"/>.</param>
    /// <param name="providers">Builds the Anthropic, OpenAI and Ollama clients (the <c>SpecSynth.Providers</c> package);
    /// <c>null</c>: only the mock and a host's own client can be used.</param>
    /// <param name="sharedState">Opens <c>[shared] redis</c> state (the <c>SpecSynth.Redis</c> package); <c>null</c>: a
    /// configured Redis gives one warning and the state stays local.</param>
    /// <param name="logs">Creates the library's loggers (categories <c>SpecSynth.*</c>); <c>null</c> for none.</param>
    public RunServices(TimeProvider time, Func<string, string?> getEnv, ModelCatalog? catalog = null, ProviderSdkFactory? providers = null,
        SharedStateBackend? sharedState = null, ILoggerFactory? logs = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(getEnv);
        Time = time;
        GetEnv = getEnv;
        Catalog = catalog ?? ModelCatalog.BuiltIn;
        RejectedParameters = new RejectedParameters(Catalog);
        Providers = providers;
        SharedState = sharedState;
        Logs = logs ?? NullLoggerFactory.Instance;
        Keys = new Providers.Keys.ApiKeyResolver(getEnv, time);
    }

    /// <summary>Creates the library's loggers, one category per area (<c>SpecSynth.Run</c>, <c>SpecSynth.Pipeline</c>,
    /// <c>SpecSynth.Context</c>, <c>SpecSynth.Validation</c>, <c>SpecSynth.Output</c>).</summary>
    public ILoggerFactory Logs { get; }

    /// <summary><see cref="Catalog"/> with the configuration's <c>[models."ID"]</c> limits and prices applied.</summary>
    public ModelCatalog CatalogFor(SpecSynthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Catalog.With(config.Models);
    }

    /// <summary>The keys from <c>api_key_command</c> and the key store, when no key variable is set.</summary>
    public Providers.Keys.ApiKeyResolver Keys { get; }

    /// <summary>Builds the provider SDK clients, or <c>null</c> without the <c>SpecSynth.Providers</c> package.</summary>
    public ProviderSdkFactory? Providers { get; }

    /// <summary>Opens the state shared through Redis, or <c>null</c> without the <c>SpecSynth.Redis</c> package.</summary>
    public SharedStateBackend? SharedState { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Reads an environment variable; <c>null</c> when unset.</summary>
    public Func<string, string?> GetEnv { get; }

    /// <summary>The state folder (journal, ledger, history): <see cref="StatePaths.StateDir"/> of <see cref="GetEnv"/>.</summary>
    public string StateDir => StatePaths.StateDir(GetEnv);

    /// <summary>The cache folder (response cache): <see cref="StatePaths.CacheDir"/> of <see cref="GetEnv"/>.</summary>
    public string CacheDir => StatePaths.CacheDir(GetEnv);

    /// <summary>Limits, prices and quirks of known models.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The parameters each model refused (and the output caps it named) in this host, so a refusal costs one extra
    /// request per host and not one per call.</summary>
    public RejectedParameters RejectedParameters { get; }

    /// <summary>
    /// The rate limiters, server limits and circuits shared by every pipeline of this host, so concurrent runs share limits
    /// and learn from each other's failures. With <paramref name="redisUrl"/> the buckets are shared through Redis by every
    /// process using it (local again if it is lost); one registry per URL.
    /// </summary>
    /// <param name="redisUrl"><c>[shared] redis</c>, or <c>null</c> for buckets of this host only.</param>
    /// <param name="onWarning">Hears the one warning when Redis is lost (the first caller's), or when Redis is configured
    /// without <see cref="SharedState"/>.</param>
    public ResilienceRegistry Resilience(string? redisUrl = null, Action<string>? onWarning = null) =>
        _registries.GetOrAdd(redisUrl ?? "", url => new ResilienceRegistry(Time, SharedLimits(url, onWarning)));

    private ISharedRateLimits? SharedLimits(string url, Action<string>? onWarning)
    {
        if (url.Length == 0)
        {
            return null;
        }
        if (SharedState is null)
        {
            onWarning?.Invoke(SharedStateBackend.MissingWarning);
            return null;
        }
        return SharedState.OpenRateLimits(url, onWarning);
    }
}
