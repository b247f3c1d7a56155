using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth;

/// <summary>
/// Builds the <see cref="IChatClient"/> of a configured provider (Anthropic, OpenAI or an OpenAI-compatible server, Ollama)
/// on its official SDK. The <c>SpecSynth.Providers</c> package supplies it (<c>services.AddSpecSynthProviders()</c>, or
/// <c>SpecSynthProviders.Factory</c> in <see cref="SpecSynthOptions.ProviderFactory"/>), so a host that brings its own
/// <see cref="IChatClient"/> does not pull the SDKs. Without it the mock and a host's client work, and asking for
/// <c>claude</c>, <c>openai</c> or <c>ollama</c> fails with <see cref="ErrorKind.InvalidInput"/>. Not meant to be
/// implemented outside specsynth's packages.
/// </summary>
public abstract class ProviderSdkFactory
{
    /// <summary>Only specsynth's packages derive from it.</summary>
    internal ProviderSdkFactory()
    {
    }

    /// <summary>The message when <paramref name="provider"/> is asked for without this factory.</summary>
    internal static string MissingMessage(string provider) =>
        $"provider '{provider}' needs the SpecSynth.Providers package: reference it and call services.AddSpecSynthProviders() "
        + "(or set SpecSynthOptions.ProviderFactory = SpecSynthProviders.Factory), or register your own IChatClient (services.AddChatClient)";

    /// <summary>What the SDKs' exceptions say (status, body, mid-stream errors), for translating a host's client built on
    /// them too.</summary>
    internal abstract IProviderSdkErrors Errors { get; }

    /// <summary>Azure OpenAI without a key: an Entra ID token of this factory's credential (for requests outside the chat
    /// client, e.g. listing models).</summary>
    /// <param name="time">The clock of the token's expiry.</param>
    /// <param name="cancellationToken">Cancels the sign-in.</param>
    /// <exception cref="ProviderException">The credential could not sign in (<see cref="ErrorKind.Auth"/>).</exception>
    internal abstract ValueTask<string> AzureTokenAsync(TimeProvider time, CancellationToken cancellationToken);

    /// <summary>Creates the provider's client: the SDK's client with its own retries off, every failure a
    /// <see cref="ProviderException"/>, refused parameters left out. Dispose it to release its connections.</summary>
    /// <param name="settings">The provider, model, key and limits.</param>
    /// <param name="time">The clock of HTTP-date <c>retry-after</c> values.</param>
    /// <param name="rejected">The host's memory of refused parameters.</param>
    /// <param name="ollamaContextWindow">For Ollama: size <c>num_ctx</c> per request up to this window; <c>null</c> leaves it.</param>
    /// <exception cref="SpecSynthException">Unknown provider (<see cref="ErrorKind.InvalidInput"/>) or missing key (<see cref="ErrorKind.Auth"/>).</exception>
    internal abstract IChatClient Create(ProviderSettings settings, TimeProvider time, RejectedParameters rejected, int? ollamaContextWindow);
}
