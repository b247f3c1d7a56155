using System.Runtime.CompilerServices;
using SpecSynth.Config;
using SpecSynth.Llm.Mock;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm;

/// <summary>
/// Builds the chat client for a run from the effective configuration. The first provider of the chain answers
/// (the fallback chain itself is layered on by the resilience pipeline). The mock path never touches the
/// provider SDKs, so a mock run does not load them.
/// </summary>
public static class ChatClientFactory
{
    /// <summary>Creates the client for the first provider of <paramref name="config"/>. For Ollama it first asks the
    /// server about the model, so "not running" and "not pulled" are reported before any prompt is built.</summary>
    /// <exception cref="SpecSynthException">A key is missing (<see cref="ErrorKind.Auth"/>), a setting is invalid, or
    /// Ollama is not running or lacks the model.</exception>
    /// <param name="config">The effective configuration.</param>
    /// <param name="getEnv">Reads an environment variable.</param>
    /// <param name="onWarning">Receives warnings raised later by the client (e.g. a parameter the model refused).</param>
    /// <param name="cancellationToken">Cancels the Ollama preflight.</param>
    public static async Task<ProviderChoice> CreateAsync(SpecSynthConfig config, Func<string, string?> getEnv,
        Action<string>? onWarning = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getEnv);
        var name = config.Providers[0];
        var settings = config.For(name);
        var maxTokens = settings.MaxTokens ?? SpecSynthConfig.Defaults.ProviderConfigs[name].MaxTokens ?? 8192;
        if (name == "mock")
        {
            return new ProviderChoice(name, MockChatClient.ModelId, new MockChatClient(), maxTokens, settings.Temperature, settings.SystemPrompt)
            {
                ContextWindow = 200_000,
            };
        }
        var model = config.ModelOverride ?? settings.Model ?? SpecSynthConfig.Defaults.ProviderConfigs[name].Model!;
        return await CreateRemoteAsync(name, model, maxTokens, settings, getEnv, onWarning, cancellationToken).ConfigureAwait(false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<ProviderChoice> CreateRemoteAsync(string name, string model, int maxTokens, ProviderConfig config,
        Func<string, string?> getEnv, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var settings = ProviderEnvironment.Resolve(name, model, config.BaseUrl, config.ApiKeyEnv, getEnv) with
        {
            MaxOutputTokens = maxTokens,
            Temperature = config.Temperature,
            OnWarning = onWarning,
        };
        var info = ModelCatalog.Default.Lookup(name, model);
        var warnings = new List<string>();
        var contextWindow = info.ContextWindow;
        if (settings.Provider == ProviderIds.Ollama)
        {
            var ollama = await OllamaModelInfo.GetAsync(settings, cancellationToken: cancellationToken).ConfigureAwait(false);
            contextWindow = ollama.ContextLength ?? 8192;
            if (ollama.ContextLength is null)
            {
                warnings.Add($"Ollama did not report a context length for '{model}'; planning with 8192 tokens.");
            }
        }
        else if (ModelCatalog.Default.UnknownModelWarning(name, model) is { } unknown)
        {
            warnings.Add(unknown + "; costs are estimated at the most expensive model's prices");
        }
        var client = ProviderClientFactory.Create(settings);
        if (settings.Provider == ProviderIds.Ollama)
        {
            client = new OllamaContextSizingChatClient(client, contextWindow);
        }
        return new ProviderChoice(name, model, client, maxTokens, config.Temperature, config.SystemPrompt)
        {
            ContextWindow = contextWindow,
            Pricing = settings.Provider == ProviderIds.Ollama ? null : info,
            Warnings = warnings,
        };
    }
}
