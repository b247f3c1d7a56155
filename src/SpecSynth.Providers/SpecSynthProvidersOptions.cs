using Azure.Core;

namespace SpecSynth;

/// <summary>Options of the provider SDK wiring: <see cref="SpecSynthProviders.Create"/>, or
/// <c>services.AddSpecSynthProviders(options)</c>.</summary>
public sealed record SpecSynthProvidersOptions
{
    /// <summary>
    /// Azure OpenAI without a key: the Entra ID credential its bearer tokens come from (scope
    /// <c>https://cognitiveservices.azure.com/.default</c>), e.g. a <c>ManagedIdentityCredential</c> or the host's own
    /// <c>DefaultAzureCredential</c>. Tokens are kept until 5 minutes before they expire and renewed once on a 401.
    /// A configured key (<c>AZURE_OPENAI_API_KEY</c>, <c>api_key_command</c>, a stored key) is used instead when there is one.
    /// </summary>
    /// <value>The default is <c>null</c>: a <c>DefaultAzureCredential</c>, created the first time it is needed.</value>
    public TokenCredential? AzureCredential { get; init; }
}
