using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.Llm.Keys;
using SpecSynth.Llm.Mock;
using SpecSynth.Llm.Providers;
using SpecSynth.Llm.Resilience;

namespace SpecSynth.Llm;

/// <summary>
/// Builds the chat client for a run from the effective configuration: one client per provider of the chain
/// (the mock, or an SDK client from <see cref="ProviderClientFactory"/>), assembled by
/// <see cref="ResiliencePipeline"/> (fallback, continuation, retry, budget checks, circuit breaker, rate limits), behind the
/// response cache and, with budgets, <see cref="Budget.BudgetFallbackChatClient"/> (<c>[routing] on_budget_exhausted</c>). The mock path
/// never touches the provider SDKs, so a mock run does not load them. Outermost, <see cref="RedactingChatClient"/> redacts
/// every prompt.
/// </summary>
public static class ChatClientFactory
{
    /// <summary>Creates the client for <paramref name="config"/>'s provider chain. For Ollama it first asks the server
    /// about the model, so "not running" and "not pulled" are reported before any prompt is built. In a chain of
    /// several providers, one that cannot be set up (missing key, Ollama down) is skipped with a warning.</summary>
    /// <param name="config">The effective configuration.</param>
    /// <param name="getEnv">Reads an environment variable.</param>
    /// <param name="onWarning">Receives warnings, now and later (e.g. a parameter the model refused).</param>
    /// <param name="observer">Hears every retry, wait, restart, fallback and continuation; <c>null</c> for none.</param>
    /// <param name="cancellationToken">Cancels the Ollama preflight.</param>
    /// <param name="cacheMode">The response cache in front of the whole pipeline (<see cref="Caching.ResponseCacheStore.Apply"/>);
    /// off unless asked for.</param>
    /// <param name="usage">The run the usage ledger and audit log record calls under (outermost, so cache hits are recorded
    /// too); <c>null</c> starts a new run without a project.</param>
    /// <param name="hostClient">A host's own client (e.g. registered with <c>services.AddChatClient</c>): it replaces the
    /// configured provider chain as the one link, and specsynth's middleware is built around it as for any provider.
    /// Named by its <see cref="ChatClientMetadata.ProviderName"/> (else <c>host</c>), priced from the model catalog when its
    /// model is known; <c>null</c> builds the configured providers.</param>
    /// <exception cref="SpecSynthException">No provider of the chain can be used: the first one's error (e.g.
    /// <see cref="ErrorKind.Auth"/> naming the missing key variable).</exception>
    public static async Task<ProviderChoice> CreateAsync(SpecSynthConfig config, Func<string, string?> getEnv,
        Action<string>? onWarning = null, IResilienceObserver? observer = null, CancellationToken cancellationToken = default,
        Caching.CacheMode cacheMode = Caching.CacheMode.Off, Usage.UsageContext? usage = null, IChatClient? hostClient = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getEnv);
        var links = new List<ProvidedLink>();
        SpecSynthException? firstError = null;
        if (hostClient is not null)
        {
            links.Add(Host(hostClient, config));
        }
        foreach (var (name, index) in hostClient is null ? config.Providers.Select((n, i) => (n, i)) : [])
        {
            try
            {
                var model = index == 0 ? config.ModelOverride : null;
                links.Add(name == "mock" ? Mock(config.For(name)) : await RemoteAsync(name, model, config, getEnv, onWarning, cancellationToken).ConfigureAwait(false));
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
        // One registry per run: the specs of a run share its rate limits and circuits; separate runs (and tests) do not.
        // With [shared] redis the buckets are shared by every process using it (local again if Redis is lost).
        var redis = config.Shared.Redis is { } url ? RedisRateLimits.Create(url, onWarning) : null;
        var registry = new ResilienceRegistry(TimeProvider.System, redis);
        var retries = new Usage.RetryCountingObserver(observer);
        // Budgets: each paid link checks its requests at its own model's prices; the mock and Ollama cost nothing.
        var ledger = Budget.BudgetLedger.Open(config.Budget, config.Shared.Redis, StatePaths.StateDir(getEnv), TimeProvider.System, onWarning);
        var chain = links.Select(l => Budget.LinkBudget.Attach(l.Link, l.Pricing, ledger, l.Limit.MaxOutputTokens, StatePaths.StateDir(getEnv))).ToList();
        var client = ResiliencePipeline.Build(chain, config.Resilience, TimeProvider.System, retries, registry);
        client = Caching.ResponseCacheStore.Apply(client, config, [.. links.Select(l => (l.Link.Name, l.Link.Model))], cacheMode, getEnv, onWarning);
        var priced = links.Select(l => new Usage.UsageChainEntry(l.Link.Name, l.Link.Model, l.Pricing)).ToList();
        if (ledger is not null)
        {
            var local = config.Routing.OnBudgetExhausted;
            client = new Budget.BudgetFallbackChatClient(client, ledger, local?.ToString(), local is null ? null : async ct =>
            {
                var link = await RemoteAsync(local.Provider, local.Model, config, getEnv, onWarning, ct).ConfigureAwait(false);
                return ResiliencePipeline.Build([link.Link], config.Resilience, TimeProvider.System, retries, registry);
            }, onWarning);
            if (local is not null)
            {
                // A request the budget sent to the local model is recorded as that provider's, at no cost.
                priced.Add(new Usage.UsageChainEntry(local.Provider, local.Model ?? config.For(local.Provider).Model, null));
            }
        }
        client = Usage.UsageRecordingChatClient.For(client, config, priced, usage, getEnv, onWarning);
        // Outermost: every prompt is redacted before the cache, the ledger, the audit log or a provider sees it.
        client = new RedactingChatClient(client);
        var first = links[0];
        return new ProviderChoice(first.Link.Name, first.Link.Model ?? "", client, first.SystemPrompt)
        {
            PricingByProvider = links.ToDictionary(l => l.Link.Name, l => l.Pricing),
            Warnings = [.. links.SelectMany(l => l.Warnings)],
            Limits = [.. links.Select(l => l.Limit)],
        };
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

    /// <summary>The host's own client as the one link: its metadata names the provider and model (else <c>host</c> and the
    /// <c>--model</c> override); a model the catalog knows is priced and sized from it.</summary>
    private static ProvidedLink Host(IChatClient client, SpecSynthConfig config)
    {
        var metadata = client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        var name = string.IsNullOrWhiteSpace(metadata?.ProviderName) ? "host" : metadata.ProviderName;
        var model = new[] { config.ModelOverride, metadata?.DefaultModelId }.FirstOrDefault(m => !string.IsNullOrWhiteSpace(m)) ?? "default";
        var info = ModelCatalog.Default.Lookup(name, model);
        var known = info.IsKnown ? info : null;
        var contextWindow = known?.ContextWindow ?? 128_000;
        var maxTokens = known?.MaxOutputTokens ?? 8192;
        var link = new ProviderLink(name, client, contextWindow) { Model = model };
        return new ProvidedLink(link, known, config.For(config.Providers[0]).SystemPrompt, [], new ProviderLimit(name, model, contextWindow, maxTokens));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<ProvidedLink> RemoteAsync(string name, string? modelOverride, SpecSynthConfig all, Func<string, string?> getEnv,
        Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var config = all.For(name);
        var model = modelOverride ?? config.Model ?? SpecSynthConfig.Defaults.ProviderConfigs[name].Model!;
        var maxTokens = ModelCatalog.Default.PlannedOutputCap(name, model, MaxTokens(all, name));
        var settings = ProviderEnvironment.Resolve(name, model, config.BaseUrl, config.ApiKeyEnv, getEnv) with
        {
            MaxOutputTokens = maxTokens,
            Temperature = config.Temperature,
            OnWarning = onWarning,
        };
        var info = ModelCatalog.Default.Lookup(name, model);
        var warnings = new List<string>();
        var contextWindow = info.ContextWindow;
        IChatClient? client = null;
        if (settings.Provider == ProviderIds.Ollama)
        {
            var ollama = await OllamaModelInfo.GetAsync(settings, cancellationToken: cancellationToken).ConfigureAwait(false);
            contextWindow = ollama.ContextLength ?? 8192;
            if (ollama.ContextLength is null)
            {
                warnings.Add($"Ollama did not report a context length for '{model}'; planning with 8192 tokens.");
            }
            client = new OllamaContextSizingChatClient(ProviderClientFactory.Create(settings), contextWindow);
        }
        else if (ModelCatalog.Default.UnknownModelWarning(name, model) is { } unknown)
        {
            warnings.Add(unknown + "; costs are estimated at the most expensive model's prices");
        }
        client ??= ProviderClientFactory.Create(settings);
        var keys = MoreKeys(settings, client, config.ApiKeyEnv, getEnv, contextWindow, warnings);
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
        Func<string, string?> getEnv, int contextWindow, List<string> warnings)
    {
        if (names.Count < 2 || settings.ApiKey is null)
        {
            return null;
        }
        var found = ProviderEnvironment.ResolveAllKeys(settings.Provider, names, getEnv);
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
            IChatClient client = ProviderClientFactory.Create(settings with { ApiKey = key, KeyVariable = variable });
            if (settings.Provider == ProviderIds.Ollama)
            {
                client = new OllamaContextSizingChatClient(client, contextWindow);
            }
            keys.Add(new ProviderKey(variable, client));
        }
        return keys;
    }

    private static int MaxTokens(SpecSynthConfig config, string name) =>
        config.For(name).MaxTokens ?? SpecSynthConfig.Defaults.ProviderConfigs[name].MaxTokens ?? 8192;

    private static RateLimitOptions? Limits(ProviderConfig config) =>
        config.RequestsPerMinute is null && config.TokensPerMinute is null
            ? null
            : new RateLimitOptions { RequestsPerMinute = config.RequestsPerMinute, TokensPerMinute = config.TokensPerMinute };

    private sealed record ProvidedLink(ProviderLink Link, ModelInfo? Pricing, string? SystemPrompt, IReadOnlyList<string> Warnings, ProviderLimit Limit);
}
