using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Identity;

namespace SpecSynth.Providers;

/// <summary>
/// Where Azure OpenAI's Entra ID tokens come from when no key is set: the host's credential
/// (<see cref="SpecSynthProvidersOptions.AzureCredential"/>), else one <see cref="DefaultAzureCredential"/> per process; one
/// <see cref="AzureTokenCache"/> per factory, made when the first such client is. Azure.Core and MSAL are loaded only then: the
/// members naming their types run only on that path.
/// </summary>
internal sealed class AzureEntraId(SpecSynthProvidersOptions? options)
{
    private readonly object gate = new();
    private object? tokens;

    /// <summary>The bearer-token policy of an Azure OpenAI client without a key (before the transport).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public System.ClientModel.Primitives.PipelinePolicy Policy(TimeProvider time) => new AzureEntraIdPolicy(Tokens(time));

    /// <summary>A token for a request outside the chat client (listing models).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask<string> TokenAsync(TimeProvider time, CancellationToken cancellationToken) => Tokens(time).GetAsync(async: true, cancellationToken);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private AzureTokenCache Tokens(TimeProvider time)
    {
        lock (gate)
        {
            return (AzureTokenCache)(tokens ??= new AzureTokenCache(options?.AzureCredential ?? DefaultCredential.Value, time));
        }
    }

    private static class DefaultCredential
    {
        /// <summary>Built once: it reads the environment (<c>AZURE_CLIENT_ID</c>, <c>IDENTITY_ENDPOINT</c>…) and keeps MSAL's caches.</summary>
        public static readonly TokenCredential Value = new DefaultAzureCredential();
    }
}
