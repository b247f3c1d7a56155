using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>The <see cref="ProviderSdkFactory"/> of this package: <see cref="ProviderClientFactory"/>, and for Ollama the
/// per-request <c>num_ctx</c> sizing.</summary>
internal sealed class SdkProviderFactory : ProviderSdkFactory
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static SdkProviderFactory Instance { get; } = new();

    private SdkProviderFactory()
    {
    }

    internal override IProviderSdkErrors Errors => SdkErrors.Instance;

    internal override IChatClient Create(ProviderSettings settings, TimeProvider time, RejectedParameters rejected, int? ollamaContextWindow)
    {
        var client = ProviderClientFactory.Create(settings, null, time, rejected);
        return ollamaContextWindow is { } window && ProviderIds.Normalize(settings.Provider) == ProviderIds.Ollama
            ? new OllamaContextSizingChatClient(client, window)
            : client;
    }
}
