using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// The provider rejected the request because the prompt does not fit the model's context window.
/// Not retried and not a reason to fall back: the caller may shrink the context and try once more.
/// </summary>
public sealed class ContextTooLongException : SpecSynthException
{
    /// <summary>Wraps the provider's rejection.</summary>
    public ContextTooLongException(ProviderException inner, int? contextWindow)
        : base(ErrorKind.InvalidInput, $"the prompt does not fit the context window of {inner.Provider}"
            + (contextWindow is { } w ? $" ({w} tokens)" : "") + $": {inner.Message}", inner)
    {
        Provider = inner.Provider;
        ContextWindow = contextWindow;
    }

    /// <summary>The provider that refused.</summary>
    public string Provider { get; }

    /// <summary>The context window of the model, as given in its <see cref="ProviderLink"/>, or <c>null</c>.</summary>
    public int? ContextWindow { get; }

    /// <summary>Whether <paramref name="ex"/> is a provider's "prompt too long" rejection (HTTP 400/413 with a telling message).</summary>
    public static bool Matches(ProviderException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex.StatusCode is not (400 or 413) || ex.IsRetryable)
        {
            return false;
        }
        var text = ex.Message;
        return Patterns.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] Patterns =
    [
        "prompt is too long", "maximum context length", "context_length_exceeded", "context length",
        "context window", "too many tokens", "input is too long", "exceeds the context",
    ];
}
