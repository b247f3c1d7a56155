namespace SpecSynth;

/// <summary>The Anthropic, OpenAI (and OpenAI-compatible) and Ollama providers on their official SDKs, for a service built
/// without a container: <c>SpecSynthesizerFactory.Create(new SpecSynthOptions { ProviderFactory = SpecSynthProviders.Factory })</c>.
/// In a container, <c>services.AddSpecSynthProviders()</c>.</summary>
public static class SpecSynthProviders
{
    /// <summary>Builds the configured providers' clients (<see cref="SpecSynthOptions.ProviderFactory"/>).</summary>
    public static ProviderSdkFactory Factory => Providers.SdkProviderFactory.Instance;
}
