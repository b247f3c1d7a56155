namespace SpecSynth.Providers;

/// <summary>
/// What a provider SDK's own exception types say, for <see cref="ProviderErrorTranslator"/>: the core knows the transport's
/// exceptions and System.ClientModel's (OpenAI, Azure); the <c>SpecSynth.Providers</c> package adds Anthropic's and Ollama's.
/// </summary>
internal interface IProviderSdkErrors
{
    /// <summary>Whether <paramref name="ex"/> is one of the SDK's failures.</summary>
    bool IsFailure(Exception ex);

    /// <summary>The HTTP status <paramref name="ex"/> carries, or <c>null</c>.</summary>
    int? Status(Exception ex);

    /// <summary>The error body <paramref name="ex"/> carries, or <c>null</c>.</summary>
    string? Body(Exception ex);

    /// <summary>The message of a failure the SDK reported without a status (an error event mid-stream, a server error),
    /// redacted with <paramref name="redact"/>; <c>null</c> when <paramref name="ex"/> is not one.</summary>
    string? TransportMessage(Exception ex, string display, Func<string, string> redact);

    /// <summary>Reads the provider's own stop reason from an SDK's raw reply or stream event (<paramref name="raw"/>: a
    /// <see cref="Microsoft.Extensions.AI.ChatResponseUpdate.RawRepresentation"/>) through the SDK's types; <c>false</c>
    /// when it cannot (not one of its types, or a value it cannot read), and <see cref="FinishReasonCorrector"/> serializes
    /// <paramref name="raw"/> to read it instead.</summary>
    bool TryStopReason(object raw, out string? stopReason);
}
