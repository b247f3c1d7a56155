namespace SpecSynth.Providers;

/// <summary>
/// A provider call failed. Thrown only by the clients <c>ProviderClientFactory</c> (package <c>SpecSynth.Providers</c>) builds;
/// the message names the provider and what to do, and never contains an API key.
/// </summary>
public sealed class ProviderException : SpecSynthException
{
    /// <summary>Creates the exception.</summary>
    public ProviderException(ErrorKind kind, string provider, string message, int? statusCode = null,
        bool isRetryable = false, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(kind, message, inner)
    {
        Provider = provider;
        StatusCode = statusCode;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider id (<c>claude</c>, <c>openai</c>, <c>ollama</c>).</summary>
    public string Provider { get; }

    /// <summary>The HTTP status, or <c>null</c> when there was no HTTP response (connection failure, stream cut).</summary>
    public int? StatusCode { get; }

    /// <summary>Whether trying the same request again later may succeed.</summary>
    public bool IsRetryable { get; }

    /// <summary>
    /// Whether the account's quota, credit or spend limit is exhausted (OpenAI <c>insufficient_quota</c>, Anthropic "credit
    /// balance is too low", ...): not retryable, the key is not used again this run, and the next provider is tried.
    /// </summary>
    public bool IsQuotaExhausted { get; init; }

    /// <summary>How long the server asked us to wait (<c>retry-after-ms</c> or <c>retry-after</c>), or <c>null</c>.</summary>
    public TimeSpan? RetryAfter { get; }
}
