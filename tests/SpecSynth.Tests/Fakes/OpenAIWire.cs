using System.Text;

namespace SpecSynth.Tests.Fakes;

/// <summary>OpenAI Chat Completions bodies (chunks, usage chunk, <c>[DONE]</c>).</summary>
internal static class OpenAIWire
{
    private const string Head = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764060000,"model":"gpt-4.1-2025-04-14","system_fingerprint":null""";

    private const string UsageJson = """{"prompt_tokens":@prompt@,"completion_tokens":@completion@,"total_tokens":@total@,"prompt_tokens_details":{"cached_tokens":@cached@,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    public static FakeResponse Stream(IReadOnlyList<string> deltas, string finishReason = "stop", long prompt = 31,
        long completion = 57, long cached = 0)
    {
        var sse = new StringBuilder();
        Data(sse, Head + ""","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""");
        foreach (var delta in deltas)
        {
            Data(sse, Head + Template.Fill(""","choices":[{"index":0,"delta":{"content":@text@},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"xYz"}""", ("text", delta)));
        }
        Data(sse, Head + Template.Fill(""","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":@finish@}],"usage":null}""", ("finish", finishReason)));
        Data(sse, Head + ""","choices":[],"usage":""" + Usage(prompt, completion, cached) + "}");
        sse.Append("data: [DONE]\n\n");
        return FakeResponse.Sse(sse.ToString(), ("x-request-id", "req_fake"));
    }

    public static FakeResponse Json(string text, string finishReason = "stop", long prompt = 31, long completion = 57, long cached = 0) =>
        FakeResponse.Json(Template.Fill("""
            {
              "id": "chatcmpl-1",
              "object": "chat.completion",
              "created": 1764060000,
              "model": "gpt-4.1-2025-04-14",
              "choices": [
                {
                  "index": 0,
                  "message": {"role": "assistant", "content": @text@, "refusal": null},
                  "logprobs": null,
                  "finish_reason": @finish@
                }
              ],
              "usage": @usage@,
              "service_tier": "default",
              "system_fingerprint": null
            }
            """, ("text", text), ("finish", finishReason)).Replace("@usage@", Usage(prompt, completion, cached), StringComparison.Ordinal));

    public static FakeResponse Error(int status, string message, string type, string? code) =>
        FakeResponse.Json(Template.Fill("""{"error":{"message":@message@,"type":@type@,"param":null,"code":@code@}}""",
            ("message", message), ("type", type), ("code", code)), status);

    /// <summary>An error naming the request field it is about (<c>error.param</c>), e.g. <c>unsupported_value</c> for <c>temperature</c>.</summary>
    public static FakeResponse ParamError(int status, string message, string code, string param) =>
        FakeResponse.Json(Template.Fill("""{"error":{"message":@message@,"type":"invalid_request_error","param":@param@,"code":@code@}}""",
            ("message", message), ("param", param), ("code", code)), status);

    private static string Usage(long prompt, long completion, long cached) =>
        Template.Fill(UsageJson, ("prompt", prompt), ("completion", completion), ("total", prompt + completion), ("cached", cached));

    private static void Data(StringBuilder sse, string json) => sse.Append("data: ").Append(json).Append("\n\n");
}
