namespace SpecSynth.Providers;

/// <summary>
/// What <see cref="ResponseCaptureHandler"/> saw of the last HTTP response of one chat call: the
/// SDKs' exceptions carry neither the headers nor (OllamaSharp) the error text, so we keep them here.
/// </summary>
internal sealed class ProviderCallRecord
{
    private static readonly AsyncLocal<ProviderCallRecord?> CurrentRecord = new();

    /// <summary>The record of the chat call running on this async flow, if any.</summary>
    public static ProviderCallRecord? Current
    {
        get => CurrentRecord.Value;
        set => CurrentRecord.Value = value;
    }

    /// <summary>How many HTTP requests this call sent.</summary>
    public int RequestCount { get; set; }

    /// <summary>The last response's status code, or <c>null</c> when none arrived.</summary>
    public int? StatusCode { get; set; }

    /// <summary>The last response's interesting headers (retry hints, rate limits, content type), names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = NoHeaders;

    /// <summary>The headers of a call that has had no response yet (shared, read-only).</summary>
    public static IReadOnlyDictionary<string, string> NoHeaders { get; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The body of the last error response (status ≥ 400), or <c>null</c>.</summary>
    public string? ErrorBody { get; set; }

    /// <summary>The first error reported inside a 200 streamed body, or <c>null</c>.</summary>
    public StreamError? StreamError { get; set; }
}
