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
    /// <summary>Creates the client for the first provider of <paramref name="config"/>.</summary>
    /// <exception cref="SpecSynthException">A key is missing (<see cref="ErrorKind.Auth"/>) or a setting is invalid.</exception>
    public static ProviderChoice Create(SpecSynthConfig config, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getEnv);
        var name = config.Providers[0];
        var settings = config.For(name);
        var model = config.ModelOverride ?? settings.Model ?? SpecSynthConfig.Defaults.ProviderConfigs[name].Model!;
        var maxTokens = settings.MaxTokens ?? 8192;
        return name == "mock"
            ? new ProviderChoice(name, MockChatClient.ModelId, new MockChatClient(), maxTokens, settings.Temperature, settings.SystemPrompt)
            : CreateRemote(name, model, maxTokens, settings, getEnv);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ProviderChoice CreateRemote(string name, string model, int maxTokens, ProviderConfig settings, Func<string, string?> getEnv)
    {
        var resolved = ProviderEnvironment.Resolve(name, model, settings.BaseUrl, settings.ApiKeyEnv, getEnv) with
        {
            MaxOutputTokens = maxTokens,
            Temperature = settings.Temperature,
        };
        return new ProviderChoice(name, model, ProviderClientFactory.Create(resolved), maxTokens, settings.Temperature, settings.SystemPrompt);
    }
}
