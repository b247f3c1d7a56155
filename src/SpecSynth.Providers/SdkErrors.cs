using Anthropic.Exceptions;
using OllamaSharp.Models.Exceptions;

namespace SpecSynth.Providers;

/// <summary>What the Anthropic and Ollama SDKs' exceptions say (System.ClientModel's, OpenAI's, the core knows itself).</summary>
internal sealed class SdkErrors : IProviderSdkErrors
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static SdkErrors Instance { get; } = new();

    private SdkErrors()
    {
    }

    public bool IsFailure(Exception ex) => ex is AnthropicException or OllamaException;

    public int? Status(Exception ex) => ex is AnthropicApiException api ? (int)api.StatusCode : null;

    public string? Body(Exception ex) => ex is AnthropicApiException api ? api.ResponseBody : null;

    public string? TransportMessage(Exception ex, string display, Func<string, string> redact) => ex switch
    {
        AnthropicSseException sse =>
            $"{display} reported an error in the middle of the stream ({sse.Type?.Raw().ToString()}: {redact(sse.ApiMessage ?? sse.Message)})",
        OllamaException => $"Ollama reported an error: {redact(ex.Message)}",
        _ => null,
    };
}
