using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>The <see cref="ProviderSdkFactory"/> of this package: <see cref="ProviderClientFactory"/>, for Ollama the
/// per-request <c>num_ctx</c> sizing, and for Azure OpenAI without a key one Entra ID token cache shared by its clients.</summary>
internal sealed class SdkProviderFactory : ProviderSdkFactory
{
    private readonly AzureEntraId entraId;

    /// <summary>The instance without options (Azure OpenAI without a key: <c>DefaultAzureCredential</c>).</summary>
    public static SdkProviderFactory Instance { get; } = new(null);

    /// <summary>A factory with the host's options.</summary>
    public SdkProviderFactory(SpecSynthProvidersOptions? options)
    {
        entraId = new AzureEntraId(options);
    }

    internal override IProviderSdkErrors Errors => SdkErrors.Instance;

    internal override ValueTask<string> AzureTokenAsync(TimeProvider time, CancellationToken cancellationToken) =>
        entraId.TokenAsync(time, cancellationToken);

    internal override IChatClient Create(ProviderSettings settings, TimeProvider time, RejectedParameters rejected, int? ollamaContextWindow)
    {
        var client = ProviderClientFactory.Create(settings, null, time, rejected, entraId);
        return ollamaContextWindow is { } window && ProviderIds.Normalize(settings.Provider) == ProviderIds.Ollama
            ? new OllamaContextSizingChatClient(client, window)
            : client;
    }
}
