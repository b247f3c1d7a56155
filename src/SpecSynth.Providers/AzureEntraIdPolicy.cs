using System.ClientModel.Primitives;

namespace SpecSynth.Providers;

/// <summary>
/// Azure OpenAI without a key: replaces the SDK's placeholder bearer key with an Entra ID token from
/// <see cref="AzureTokenCache"/> (<c>Authorization: Bearer</c>, no <c>api-key</c>), just before the transport. When the service answers 401, the token is renewed once and the request
/// sent again, like a key rotated by <c>api_key_command</c>; when the credential gives the same token again, the 401 stands.
/// </summary>
internal sealed class AzureEntraIdPolicy(AzureTokenCache tokens) : PipelinePolicy
{
    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex, async: false).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex, async: true);

    private async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex, bool async)
    {
        var token = await tokens.GetAsync(async, message.CancellationToken).ConfigureAwait(false);
        await SendAsync(message, pipeline, currentIndex, token, async).ConfigureAwait(false);
        if (message.Response?.Status != 401
            || await tokens.RenewAsync(token, async, message.CancellationToken).ConfigureAwait(false) is not { } renewed)
        {
            return;
        }
        message.Response.ContentStream?.Dispose();
        await SendAsync(message, pipeline, currentIndex, renewed, async).ConfigureAwait(false);
    }

    private static async ValueTask SendAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex, string token,
        bool async)
    {
        message.Request.Headers.Remove("api-key");
        message.Request.Headers.Set("Authorization", "Bearer " + token);
        if (async)
        {
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }
        else
        {
            ProcessNext(message, pipeline, currentIndex);
        }
    }
}
