using SpecSynth.Config;
using SpecSynth.Pipeline;

namespace SpecSynth.Providers;

/// <summary>The limits of a configured chain without building its clients (for <c>specsynth context</c>, which calls no
/// model): model, <c>max_tokens</c> and context window of each provider as <see cref="ChatClientFactory"/> would use them.</summary>
internal static class ProviderLimits
{
    /// <summary>The window planned with when Ollama cannot say (the same as a generate run).</summary>
    public const int OllamaFallbackWindow = 8192;

    /// <summary>The limits of <paramref name="config"/>'s chain. Ollama is asked for the model's context length (its
    /// <c>/api/show</c>, no generation); when it cannot answer, <see cref="OllamaFallbackWindow"/> is used with a warning.</summary>
    /// <param name="config">The effective configuration.</param>
    /// <param name="getEnv">Reads an environment variable.</param>
    /// <param name="withKeys">Resolve the API keys too (for Anthropic's token-counting endpoint; a missing key is then
    /// <see cref="ErrorKind.Auth"/>). Without it no key is needed.</param>
    /// <param name="onWarning">Receives warnings (unknown model, Ollama unreachable).</param>
    /// <param name="cancellationToken">Cancels the Ollama question.</param>
    public static async Task<IReadOnlyList<ProviderLimit>> FromConfigAsync(SpecSynthConfig config, Func<string, string?> getEnv, bool withKeys,
        Action<string>? onWarning = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getEnv);
        var limits = new List<ProviderLimit>();
        var keys = new Keys.ApiKeyResolver(getEnv, Hosting.CompositionRoot.SystemClock);
        var catalog = ModelCatalog.BuiltIn.With(config.Models);
        foreach (var (name, index) in config.Providers.Select((n, i) => (n, i)))
        {
            var provider = config.For(name);
            var defaults = SpecSynthConfig.Defaults.ProviderConfigs[name];
            var maxTokens = provider.MaxTokens ?? defaults.MaxTokens ?? 8192;
            if (name == "mock")
            {
                limits.Add(new ProviderLimit("mock", SpecSynth.Providers.Mock.MockChatClient.ModelId, 200_000, maxTokens));
                continue;
            }
            var model = (index == 0 ? config.ModelOverride : null) ?? provider.Model ?? defaults.Model ?? ModelCatalog.DefaultModel(name);
            maxTokens = catalog.PlannedOutputCap(name, model, maxTokens);
            var window = catalog.Lookup(name, model).ContextWindow;
            ProviderSettings? settings = null;
            if (ProviderIds.Normalize(name) == ProviderIds.Ollama)
            {
                settings = ProviderEnvironment.Resolve(name, model, provider.BaseUrl, provider.ApiKeyEnv, getEnv);
                try
                {
                    window = (await OllamaModelInfo.GetAsync(settings, cancellationToken: cancellationToken).ConfigureAwait(false)).ContextLength
                        ?? OllamaFallbackWindow;
                }
                catch (ProviderException ex)
                {
                    window = OllamaFallbackWindow;
                    onWarning?.Invoke($"{ex.Message}; planning with {OllamaFallbackWindow} tokens for ollama {model}");
                }
            }
            else
            {
                if (catalog.UnknownModelWarning(name, model) is { } unknown)
                {
                    onWarning?.Invoke(unknown);
                }
                if (withKeys)
                {
                    var other = ProviderEnvironment.ResolveAllKeys(name, provider.ApiKeyEnv, getEnv).Count == 0 ? keys.Resolve(name, provider) : null;
                    var resolved = ProviderEnvironment.Resolve(name, model, provider.BaseUrl, provider.ApiKeyEnv, getEnv, fallbackKey: other?.Keys[0]);
                    settings = resolved with { MaxOutputTokens = maxTokens };
                }
            }
            limits.Add(new ProviderLimit(name, model, window, maxTokens) { Settings = settings });
        }
        return limits;
    }
}
