using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>The same scripted reply in each provider's wire format.</summary>
internal static class ProviderWire
{
    public static readonly TheoryData<string> Providers = new() { "claude", "openai", "ollama" };

    public static ProviderSettings Settings(string provider, FakeProviderServer server) => provider switch
    {
        "claude" => new() { Provider = "claude", Model = "claude-sonnet-4-5", ApiKey = "sk-ant-test", BaseUrl = server.BaseUrl, MaxOutputTokens = 100 },
        "openai" => new() { Provider = "openai", Model = "gpt-4.1", ApiKey = "sk-test", BaseUrl = server.Url("v1"), MaxOutputTokens = 100 },
        _ => new() { Provider = "ollama", Model = "qwen2.5-coder:7b", BaseUrl = server.BaseUrl, MaxOutputTokens = 100 },
    };

    /// <summary>A successful reply; <paramref name="cut"/> ends it at max tokens.</summary>
    public static FakeResponse Reply(string provider, string text, bool stream, bool cut = false)
    {
        var deltas = Split(text);
        return provider switch
        {
            "claude" => stream ? AnthropicWire.Stream(deltas, cut ? "max_tokens" : "end_turn") : AnthropicWire.Json(text, cut ? "max_tokens" : "end_turn"),
            "openai" => stream ? OpenAIWire.Stream(deltas, cut ? "length" : "stop") : OpenAIWire.Json(text, cut ? "length" : "stop"),
            _ => stream ? OllamaWire.Stream(deltas, cut ? "length" : "stop") : OllamaWire.Json(text, cut ? "length" : "stop"),
        };
    }

    public static FakeResponse Error(string provider, int status, string message = "try again later") => provider switch
    {
        "claude" => AnthropicWire.Error(status, status switch
        {
            401 => "authentication_error",
            429 => "rate_limit_error",
            529 => "overloaded_error",
            400 => "invalid_request_error",
            _ => "api_error",
        }, message),
        "openai" => OpenAIWire.Error(status, message, status == 401 ? "invalid_request_error" : "server_error", status == 401 ? "invalid_api_key" : null),
        _ => OllamaWire.Error(status, message),
    };

    /// <summary>The status an overloaded provider answers with.</summary>
    public static int Overloaded(string provider) => provider == "claude" ? 529 : 503;

    public static bool IsChat(RecordedRequest request) =>
        request.Path.EndsWith("/messages", StringComparison.Ordinal) || request.Path.EndsWith("/chat/completions", StringComparison.Ordinal)
        || request.Path.EndsWith("/api/chat", StringComparison.Ordinal);

    /// <summary>The text in pieces of up to 7 characters (several updates per reply).</summary>
    public static IReadOnlyList<string> Split(string text) =>
        Enumerable.Range(0, (text.Length + 6) / 7).Select(i => text.Substring(i * 7, Math.Min(7, text.Length - (i * 7)))).ToList();

    public static string LongText(string seed) =>
        string.Concat(Enumerable.Range(0, 60).Select(i => $"{seed} line {i}: int value{i} = {i * 7};\n"));
}
