namespace SpecSynth;

/// <summary>The Anthropic, OpenAI (and OpenAI-compatible, Azure OpenAI) and Ollama providers on their official SDKs, for a
/// service built without a container: <c>SpecSynthesizerFactory.Create(new SpecSynthOptions { ProviderFactory = SpecSynthProviders.Factory })</c>.
/// In a container, <c>services.AddSpecSynthProviders()</c>.</summary>
public static class SpecSynthProviders
{
    /// <summary>Builds the configured providers' clients (<see cref="SpecSynthOptions.ProviderFactory"/>); Azure OpenAI without
    /// a key signs in with <c>DefaultAzureCredential</c>.</summary>
    public static ProviderSdkFactory Factory => Providers.SdkProviderFactory.Instance;

    /// <summary>Builds the configured providers' clients with <paramref name="options"/> (e.g. the host's Entra ID credential
    /// for Azure OpenAI, <see cref="SpecSynthProvidersOptions.AzureCredential"/>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>A factory for <see cref="SpecSynthOptions.ProviderFactory"/>.</returns>
    public static ProviderSdkFactory Create(SpecSynthProvidersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Providers.SdkProviderFactory(options);
    }
}
