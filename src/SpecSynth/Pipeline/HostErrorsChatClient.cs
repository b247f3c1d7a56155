using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Pipeline;

/// <summary>
/// The innermost layer over a host's own client (one specsynth did not build, so nothing translated its failures): turns
/// what the client threw into a <see cref="ProviderException"/> the retry, circuit breaker and fallback understand. An HTTP
/// status is read from the exception (<see cref="HttpRequestException.StatusCode"/>, System.ClientModel's status): 408,
/// 409, 429 and 5xx are retryable, 401/403 are <see cref="ErrorKind.Auth"/>, other 4xx are
/// <see cref="ErrorKind.InvalidInput"/>; a transport failure (connection, cut, timeout) is retryable. The caller cancelling
/// and specsynth's own exceptions pass unchanged.
/// </summary>
/// <param name="inner">The host's client.</param>
/// <param name="provider">Its name in messages.</param>
/// <param name="time">The clock of HTTP-date <c>retry-after</c> values.</param>
/// <param name="sdk">What Anthropic's and Ollama's exceptions say (the <c>SpecSynth.Providers</c> package), or <c>null</c>.</param>
internal sealed class HostErrorsChatClient(IChatClient inner, string provider, TimeProvider time, IProviderSdkErrors? sdk = null)
    : DelegatingChatClient(inner)
{
    private readonly ProviderErrorTranslator _translator = new(new ProviderSettings
    {
        Provider = provider,
        Model = "",
        BaseUrl = new Uri("https://" + provider + ".invalid/"),
    }, time, sdk);

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk))
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken, sdk))
                {
                    throw Translate(ex);
                }
                yield return updates.Current;
            }
        }
    }

    private ProviderException Translate(Exception ex)
    {
        var status = ProviderErrorTranslator.StatusFromException(ex, sdk);
        if (status is >= 400)
        {
            return _translator.FromStatus(status.Value, ProviderErrorTranslator.BodyFromException(ex, sdk), new Dictionary<string, string>(), ex);
        }
        var timedOut = ex is OperationCanceledException or TimeoutException;
        return new ProviderException(ErrorKind.ProviderUnavailable, provider,
            $"{provider} {(timedOut ? "timed out" : "failed")} ({ex.GetType().Name}: {SpecSynth.Projects.SecretRedactor.Redact(ex.Message)})",
            isRetryable: true, inner: ex);
    }
}
