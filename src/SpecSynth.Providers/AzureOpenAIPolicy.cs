using System.ClientModel.Primitives;

namespace SpecSynth.Providers;

/// <summary>
/// Turns the OpenAI SDK's request into Azure OpenAI's: adds the <c>api-version</c> query parameter and sends the key
/// as <c>api-key</c> instead of the bearer token the SDK sets; without a key (<paramref name="apiKey"/> <c>null</c>) the
/// Entra ID bearer token of <see cref="AzureEntraIdPolicy"/> is left as it is. Runs just before the transport, after the
/// SDK's own authentication policy (see docs/adr/0007-azure-openai-on-the-openai-sdk.md for why not <c>Azure.AI.OpenAI</c>).
/// </summary>
internal sealed class AzureOpenAIPolicy(string? apiKey, string apiVersion) : PipelinePolicy
{
    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    /// <inheritdoc />
    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Apply(PipelineMessage message)
    {
        var request = message.Request;
        if (apiKey is not null)
        {
            request.Headers.Remove("Authorization");
            request.Headers.Set("api-key", apiKey);
        }
        if (request.Uri is { } uri && !uri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            var query = uri.Query.TrimStart('?');
            var builder = new UriBuilder(uri)
            {
                Query = (query.Length == 0 ? "" : query + "&") + "api-version=" + Uri.EscapeDataString(apiVersion),
            };
            request.Uri = builder.Uri;
        }
    }
}
