using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.Hosting;
using SpecSynth.Providers.Keys;
using SpecSynth.Providers.Mock;
using SpecSynth.Providers;
using SpecSynth.Middleware;

namespace SpecSynth.Pipeline;

/// <summary>
/// Builds the chat client for a run from the effective configuration: one link per provider of the chain (the mock, or an
/// SDK client from the run services' <see cref="ProviderSdkFactory"/>, the <c>SpecSynth.Providers</c> package), or a host's own <see cref="IChatClient"/> as the only link, and
/// hands them to <see cref="SpecSynthPipeline"/>, which adds every layer in its one order (redaction, usage ledger, budgets,
/// response cache, fallback, and per provider continuation, retry, budget check, circuit breaker, keys, rate limits, time
/// limits). The mock path never touches the provider SDKs, so a mock run does not load them.
/// </summary>
internal static class ChatClientFactory
{
    /// <summary>The context window planned with for a host's own client when its model is not in the catalog.</summary>
    public const int HostContextWindow = 128_000;

    /// <summary>Creates the client for <paramref name="config"/>'s provider chain. For Ollama it first asks the server
    /// about the model, so "not running" and "not pulled" are reported before any prompt is built. In a chain of
    /// several providers, one that cannot be set up (missing key, Ollama down) is skipped with a warning.</summary>
    /// <param name="config">The effective configuration.</param>
    /// <param name="services">The host's run services: clock, environment, state folder, catalog, shared limits and circuits,
    /// refused-parameter memory.</param>
    /// <param name="onWarning">Receives warnings, now and later (e.g. a parameter the model refused).</param>
    /// <param name="observer">Hears every retry, wait, restart, fallback and continuation; <c>null</c> for none.</param>
    /// <param name="cancellationToken">Cancels the Ollama preflight.</param>
    /// <param name="cacheMode">The response cache in front of the provider chain; off unless asked for.</param>
    /// <param name="usage">The run the usage ledger and audit log record calls under (outermost, so cache hits are recorded
    /// too); <c>null</c> starts a new run without a project.</param>
    /// <param name="hostClient">A host's own client (<c>AddChatClient</c>): the only link of the chain instead of the
    /// configured providers, named by its <see cref="ChatClientMetadata.ProviderName"/> (else
    /// <see cref="SpecSynthChatClientBuilderExtensions.HostProvider"/>) and priced from the catalog when its model is known; <c>null</c> builds the
    /// configured providers.</param>
    /// <exception cref="SpecSynthException">No provider of the chain can be used: the first one's error (e.g.
    /// <see cref="ErrorKind.Auth"/> naming the missing key variable).</exception>
    public static async Task<ProviderChoice> CreateAsync(SpecSynthConfig config, RunServices services,
        Action<string>? onWarning = null, IResilienceObserver? observer = null, CancellationToken cancellationToken = default,
        Caching.CacheMode cacheMode = Caching.CacheMode.Off, Usage.UsageContext? usage = null, IChatClient? hostClient = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(services);
        var links = hostClient is null
            ? await ConfiguredAsync(config, services, onWarning, cancellationToken).ConfigureAwait(false)
            : [Host(hostClient, config, services)];
        var plan = Plan(links, config, services, onWarning, observer, cacheMode, usage);
        var first = links[0];
        return new ProviderChoice(first.Link.Name, first.Link.Model ?? "", SpecSynthPipeline.Build(plan), first.SystemPrompt)
        {
            PricingByProvider = links.ToDictionary(l => l.Link.Name, l => l.Pricing),
            Warnings = [.. links.SelectMany(l => l.Warnings)],
            Limits = [.. links.Select(l => l.Limit)],
        };
    }

    /// <summary>What the pipeline is built from: the links with their budgets, and each outer layer's state.</summary>
    private static PipelinePlan Plan(List<ProvidedLink> links, SpecSynthConfig config, RunServices services, Action<string>? onWarning,
        IResilienceObserver? observer, Caching.CacheMode cacheMode, Usage.UsageContext? usage)
    {
        // Without the SpecSynth.Redis package a configured Redis is one warning, and the run keeps its state locally.
        var redisUrl = config.Shared.Redis;
        if (services.SharedState is null && (redisUrl is not null
            || (config.Cache.Url is not null && cacheMode != Caching.CacheMode.Off && config.Cache.Enabled)))
        {
            onWarning?.Invoke(SharedStateBackend.MissingWarning);
            redisUrl = null;
            config = config with { Shared = new State.SharedStateOptions(), Cache = config.Cache with { Url = null } };
        }
        // One registry per host (per [shared] redis URL): the specs of a run, and the runs of a host, share rate limits and
        // circuits. With [shared] redis the buckets are shared by every process using it (local again if Redis is lost).
        var registry = services.Resilience(redisUrl, onWarning);
        var retries = new Usage.RetryCountingObserver(new Telemetry.TelemetryObserver(observer,
            services.Logs.CreateLogger(Telemetry.Categories.Pipeline)));
        // Budgets: each paid link checks its requests at its own model's prices; the mock and Ollama cost nothing.
        var ledger = Budget.BudgetLedger.Open(config.Budget, redisUrl, services.StateDir, services.Time, onWarning, services.SharedState);
        var catalog = services.CatalogFor(config);
        var chain = links.Select(l => Budget.LinkBudget.Attach(l.Link, l.Pricing, ledger, l.Limit.MaxOutputTokens, services.StateDir, catalog)).ToList();
        var priced = links.Select(l => new Usage.UsageChainEntry(l.Link.Name, l.Link.Model, l.Pricing)).ToList();
        BudgetFallbackLayer? budget = null;
        if (ledger is not null)
        {
            var local = config.Routing.OnBudgetExhausted;
            budget = new BudgetFallbackLayer(ledger, local?.ToString(), local is null ? null : async ct =>
            {
                var link = await RemoteAsync(local.Provider, local.Model, config, services, onWarning, ct).ConfigureAwait(false);
                return SpecSynthPipeline.Build(new PipelinePlan([link.Link], config.Resilience, services.Time, retries, registry)
                {
                    Redact = false,
                    IncludeContent = config.Telemetry.IncludeContent,
                });
            }, onWarning);
            if (local is not null)
            {
                // A request the budget sent to the local model is recorded as that provider's, at no cost.
                priced.Add(new Usage.UsageChainEntry(local.Provider, local.Model ?? config.For(local.Provider).Model, null));
            }
        }
        // The audit log with the run's clock: each call's line is written behind it (AuditLog.Stage).
        var usageLayer = new UsageLayer(new Usage.UsageLedger(Usage.UsageLedger.DefaultPath(services.GetEnv)),
            Usage.AuditLog.For(services.GetEnv, config.Audit, services.Time), config.Audit.IncludePrompts, usage ?? Usage.UsageContext.New(services.Time),
            priced, onWarning)
        {
            Logger = services.Logs.CreateLogger(Telemetry.Categories.Pipeline),
        };
        return new PipelinePlan(chain, config.Resilience, services.Time, retries, registry)
        {
            IncludeContent = config.Telemetry.IncludeContent,
            Usage = usageLayer,
            BudgetFallback = budget,
            Cache = Cache(links, config, services, cacheMode, onWarning),
        };
    }

    /// <summary>The response cache configured in <paramref name="config"/>, unless <paramref name="mode"/> is off or
    /// <c>[cache] enabled = false</c>. A local cache file that cannot be opened gives a warning and an uncached run.</summary>
    private static CacheLayer? Cache(List<ProvidedLink> links, SpecSynthConfig config, RunServices services, Caching.CacheMode mode,
        Action<string>? onWarning)
    {
        if (mode == Caching.CacheMode.Off || !config.Cache.Enabled)
        {
            return null;
        }
        try
        {
            var store = Caching.ResponseCacheStore.Open(config.Cache, config.Shared, services.GetEnv, onWarning, services.Time, services.SharedState);
            return new CacheLayer(store, mode, config.Cache.Ttl,
                [.. links.Select(l => Caching.ResponseCacheStore.ChainKey(l.Link.Name, l.Link.Model, config.For(l.Link.Name)))]);
        }
        catch (SpecSynthException ex)
        {
            onWarning?.Invoke("response cache disabled for this run: " + ex.Message);
            return null;
        }
    }

    private static async Task<List<ProvidedLink>> ConfiguredAsync(SpecSynthConfig config, RunServices services, Action<string>? onWarning,
        CancellationToken cancellationToken)
    {
        var links = new List<ProvidedLink>();
        SpecSynthException? firstError = null;
        foreach (var (name, index) in config.Providers.Select((n, i) => (n, i)))
        {
            try
            {
                var model = index == 0 ? config.ModelOverride : null;
                links.Add(name == "mock" ? Mock(config.For(name)) : await RemoteAsync(name, model, config, services, onWarning, cancellationToken).ConfigureAwait(false));
            }
            catch (SpecSynthException ex) when (config.Providers.Count > 1)
            {
                firstError ??= ex;
                onWarning?.Invoke($"skipping provider {name}: {ex.Message}");
            }
        }
        if (links.Count == 0)
        {
            throw firstError!;
        }
        return links;
    }

    /// <summary>A host's own client as the only link: its model is what the client reports (or <c>--model</c>); it is not
    /// priced (the host pays its own provider) and plans with the catalog's window for that model when known.</summary>
    private static ProvidedLink Host(IChatClient client, SpecSynthConfig config, RunServices services)
    {
        var metadata = client.GetService<ChatClientMetadata>();
        var name = string.IsNullOrWhiteSpace(metadata?.ProviderName) ? SpecSynthChatClientBuilderExtensions.HostProvider : metadata.ProviderName;
        var model = new[] { config.ModelOverride, metadata?.DefaultModelId }.FirstOrDefault(m => !string.IsNullOrWhiteSpace(m)) ?? "default";
        var info = services.CatalogFor(config).Lookup(name, model);
        var known = info.IsKnown ? info : null;
        var window = known?.ContextWindow ?? HostContextWindow;
        var maxTokens = known?.MaxOutputTokens ?? (config.Providers.Count > 0 ? MaxTokens(config, config.Providers[0]) : 8192);
        return new ProvidedLink(new ProviderLink(name, client, window)
        {
            Model = model,
            IsHostClient = true,
            HostSdkErrors = services.Providers?.Errors,
        }, known,
            config.Providers.Count > 0 ? config.For(config.Providers[0]).SystemPrompt : null, [], new ProviderLimit(name, model, window, maxTokens));
    }

    private static ProvidedLink Mock(ProviderConfig config)
    {
        var maxTokens = config.MaxTokens ?? 8192;
        IChatClient client = new ChatClientBuilder(new MockChatClient())
            .ConfigureOptions(o => o.MaxOutputTokens ??= maxTokens)
            .Build();
        return new ProvidedLink(new ProviderLink("mock", client, 200_000) { Model = MockChatClient.ModelId, RateLimit = Limits(config) },
            null, config.SystemPrompt, [], new ProviderLimit("mock", MockChatClient.ModelId, 200_000, maxTokens));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<ProvidedLink> RemoteAsync(string name, string? modelOverride, SpecSynthConfig all, RunServices services,
        Action<string>? onWarning, CancellationToken cancellationToken)
    {
        _ = Factory(name, services);
        var getEnv = services.GetEnv;
        var catalog = services.CatalogFor(all);
        var config = all.For(name);
        if (name == ProviderIds.Azure && string.IsNullOrWhiteSpace(modelOverride) && string.IsNullOrWhiteSpace(config.Model))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                "Azure OpenAI needs the deployment name as the model: pass --model DEPLOYMENT or set [llm.azure] model = \"DEPLOYMENT\"");
        }
        var model = modelOverride ?? config.Model ?? SpecSynthConfig.Defaults.ProviderConfigs[name].Model!;
        var maxTokens = catalog.PlannedOutputCap(name, model, MaxTokens(all, name));
        var other = ProviderEnvironment.ResolveAllKeys(name, config.ApiKeyEnv, getEnv).Count == 0
            ? services.Keys.Resolve(name, config)
            : null;
        var settings = ProviderEnvironment.Resolve(name, model, config.BaseUrl, config.ApiKeyEnv, getEnv, fallbackKey: other?.Keys[0]) with
        {
            MaxOutputTokens = maxTokens,
            Temperature = config.Temperature,
            OnWarning = onWarning,
            // A batched call waits for its batch (up to the providers' 24 h window).
            RequestTimeout = all.InBatch ? RetryOptions.MaxAttemptTimeout : ProviderSettings.DefaultRequestTimeout,
            ApiVersion = config.ApiVersion,
        };
        var info = catalog.Lookup(name, model);
        var warnings = new List<string>();
        var contextWindow = info.ContextWindow;
        IChatClient? client = null;
        if (settings.Provider == ProviderIds.Ollama)
        {
            var ollama = await OllamaModelInfo.GetAsync(settings, cancellationToken: cancellationToken, time: services.Time).ConfigureAwait(false);
            contextWindow = ollama.ContextLength ?? 8192;
            if (ollama.ContextLength is null)
            {
                warnings.Add($"Ollama did not report a context length for '{model}'; planning with 8192 tokens.");
            }
            client = Provider(settings, services, contextWindow);
        }
        else if (catalog.UnknownModelWarning(name, model) is { } unknown)
        {
            warnings.Add(unknown + "; costs are estimated at the most expensive model's prices");
        }
        client ??= Provider(settings, services);
        var ollamaWindow = settings.Provider == ProviderIds.Ollama ? contextWindow : (int?)null;
        if (other?.Command is { } command)
        {
            client = new CommandKeyChatClient(client, settings.ApiKey!, 0, command,
                key => Provider(settings with { ApiKey = key }, services, ollamaWindow));
        }
        var keys = other is null
            ? MoreKeys(settings, client, config.ApiKeyEnv, services, contextWindow, warnings)
            : CommandKeys(settings, client, other, services, ollamaWindow);
        var link = new ProviderLink(name, client, contextWindow)
        {
            Model = model,
            RateLimit = Limits(config),
            KeyAlias = settings.ApiKey is null ? null : settings.KeyVariable,
            Keys = keys,
        };
        return new ProvidedLink(link, settings.Provider == ProviderIds.Ollama ? null : info, config.SystemPrompt, warnings,
            new ProviderLimit(name, model, contextWindow, maxTokens) { Settings = settings });
    }

    /// <summary>
    /// The provider's keys when <c>api_key_env</c> names several that are set (one client each, the first being
    /// <paramref name="first"/>), else <c>null</c>. A listed variable that is not set is reported once.
    /// </summary>
    private static List<ProviderKey>? MoreKeys(ProviderSettings settings, IChatClient first, IReadOnlyList<string> names,
        RunServices services, int contextWindow, List<string> warnings)
    {
        if (names.Count < 2 || settings.ApiKey is null)
        {
            return null;
        }
        var found = ProviderEnvironment.ResolveAllKeys(settings.Provider, names, services.GetEnv);
        var missing = names.Where(n => !found.Any(k => k.Variable == n)).ToList();
        if (missing.Count > 0)
        {
            warnings.Add($"{settings.Provider}: {string.Join(", ", missing)} not set (or the same key as another); using {found.Count} of {names.Count} keys");
        }
        if (found.Count < 2)
        {
            return null;
        }
        var keys = new List<ProviderKey>();
        foreach (var (variable, key) in found)
        {
            if (variable == settings.KeyVariable)
            {
                keys.Add(new ProviderKey(variable, first));
                continue;
            }
            var client = Provider(settings with { ApiKey = key, KeyVariable = variable }, services,
                settings.Provider == ProviderIds.Ollama ? contextWindow : null);
            keys.Add(new ProviderKey(variable, client));
        }
        return keys;
    }

    /// <summary>Every key printed by <c>api_key_command</c> when it printed several (one client each, the first being
    /// <paramref name="first"/>, each following its line of the command's output), else <c>null</c>.</summary>
    private static List<ProviderKey>? CommandKeys(ProviderSettings settings, IChatClient first, ResolvedKeys other, RunServices services,
        int? ollamaWindow)
    {
        if (other.Keys.Count < 2)
        {
            return null;
        }
        var keys = new List<ProviderKey> { new(other.Keys[0].Alias, first) };
        for (var i = 1; i < other.Keys.Count; i++)
        {
            var (alias, key) = other.Keys[i];
            var keySettings = settings with { ApiKey = key, KeyVariable = alias };
            IChatClient client = Provider(keySettings, services, ollamaWindow);
            if (other.Command is { } command)
            {
                client = new CommandKeyChatClient(client, key, i, command, k => Provider(keySettings with { ApiKey = k }, services, ollamaWindow));
            }
            keys.Add(new ProviderKey(alias, client));
        }
        return keys;
    }

    /// <summary>A provider's SDK client on the run services' clock and refused-parameter memory; for Ollama with
    /// <paramref name="ollamaContextWindow"/>, its <c>num_ctx</c> sized per request up to it.</summary>
    private static IChatClient Provider(ProviderSettings settings, RunServices services, int? ollamaContextWindow = null) =>
        Factory(settings.Provider, services).Create(settings, services.Time, services.RejectedParameters, ollamaContextWindow);

    /// <summary>The provider SDK wiring, or the error saying which package brings it.</summary>
    private static ProviderSdkFactory Factory(string provider, RunServices services) =>
        services.Providers ?? throw new SpecSynthException(ErrorKind.InvalidInput, ProviderSdkFactory.MissingMessage(provider));

    private static int MaxTokens(SpecSynthConfig config, string name) =>
        config.For(name).MaxTokens ?? SpecSynthConfig.Defaults.ProviderConfigs[name].MaxTokens ?? 8192;

    private static RateLimitOptions? Limits(ProviderConfig config) =>
        config.RequestsPerMinute is null && config.TokensPerMinute is null
            ? null
            : new RateLimitOptions { RequestsPerMinute = config.RequestsPerMinute, TokensPerMinute = config.TokensPerMinute };

    private sealed record ProvidedLink(ProviderLink Link, ModelInfo? Pricing, string? SystemPrompt, IReadOnlyList<string> Warnings, ProviderLimit Limit);
}
