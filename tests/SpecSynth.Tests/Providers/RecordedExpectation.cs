using System.Text;
using System.Text.Json;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// What a recorded response should come out as, computed by parsing its body_text independently of the
/// SDKs: the visible text, our stop reason and the billed usage split.
/// </summary>
internal sealed record RecordedExpectation(string Text, string StopReason, TokenUsage Usage)
{
    /// <summary>
    /// Whether the recorded stream failed: it ends without its terminal marker (<c>message_stop</c>,
    /// <c>[DONE]</c>, <c>"done":true</c>) or carries an SSE <c>error</c> event.
    /// </summary>
    public static bool StreamFailed(RecordedFixture fixture) => fixture.Stream && (fixture.BodyText.Contains("event: error", StringComparison.Ordinal)
        || !fixture.BodyText.Contains(fixture.Provider switch { "anthropic" => "message_stop", "openai" => "[DONE]", _ => "\"done\":true" }, StringComparison.Ordinal));

    /// <summary>The first error object an OpenAI-style stream carries after its 200 (in a data chunk or an
    /// <c>event: error</c> frame), parsed independently of the client: its message and numeric code, if any.</summary>
    public static (string Message, int? Code)? InBandError(RecordedFixture fixture)
    {
        if (!fixture.Stream || fixture.Provider != "openai")
        {
            return null;
        }
        foreach (var data in SseData(fixture.BodyText))
        {
            var error = data.TryGetProperty("error", out var e) ? e : data.TryGetProperty("message", out _) && fixture.BodyText.Contains("event: error", StringComparison.Ordinal) ? data : default;
            if (error.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var message = error.GetProperty("message").GetString()!;
            int? code = null;
            foreach (var name in new[] { "status_code", "code", "status" })
            {
                if (error.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.Number)
                {
                    code = c.GetInt32();
                    break;
                }
            }
            return (message, code);
        }
        return null;
    }

    public static RecordedExpectation From(RecordedFixture fixture) => fixture.Provider switch
    {
        "anthropic" => fixture.Stream ? AnthropicStream(fixture.BodyText) : AnthropicJson(JsonDocument.Parse(fixture.BodyText).RootElement),
        "openai" => fixture.Stream ? OpenAIStream(fixture.BodyText) : OpenAIJson(JsonDocument.Parse(fixture.BodyText).RootElement),
        _ => Ollama(fixture.BodyText),
    };

    private static IEnumerable<JsonElement> SseData(string body)
    {
        foreach (var line in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var data = line[5..].Trim();
                if (data.Length > 0 && data[0] == '{')
                {
                    yield return JsonDocument.Parse(data).RootElement;
                }
            }
        }
    }

    private static RecordedExpectation AnthropicStream(string body)
    {
        var text = new StringBuilder();
        string? stop = null;
        long input = 0, output = 0, write = 0, read = 0;
        void ReadUsage(JsonElement usage)
        {
            input = Long(usage, "input_tokens") ?? input;
            output = Long(usage, "output_tokens") ?? output;
            write = Long(usage, "cache_creation_input_tokens") ?? write;
            read = Long(usage, "cache_read_input_tokens") ?? read;
        }
        foreach (var data in SseData(body))
        {
            switch (data.GetProperty("type").GetString())
            {
                case "message_start":
                    ReadUsage(data.GetProperty("message").GetProperty("usage"));
                    break;
                case "content_block_delta" when data.GetProperty("delta").GetProperty("type").GetString() == "text_delta":
                    text.Append(data.GetProperty("delta").GetProperty("text").GetString());
                    break;
                case "message_delta":
                    stop = data.GetProperty("delta").GetProperty("stop_reason").GetString() ?? stop;
                    ReadUsage(data.GetProperty("usage"));
                    break;
            }
        }
        return new(text.ToString(), StopReasons.FromRaw(stop), new TokenUsage(input, output, write, read));
    }

    private static RecordedExpectation AnthropicJson(JsonElement root)
    {
        var text = string.Concat(root.GetProperty("content").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
        var usage = root.GetProperty("usage");
        return new(text, StopReasons.FromRaw(root.GetProperty("stop_reason").GetString()), new TokenUsage(
            Long(usage, "input_tokens") ?? 0, Long(usage, "output_tokens") ?? 0,
            Long(usage, "cache_creation_input_tokens") ?? 0, Long(usage, "cache_read_input_tokens") ?? 0));
    }

    private static RecordedExpectation OpenAIStream(string body)
    {
        var text = new StringBuilder();
        string? finish = null;
        var usage = TokenUsage.Zero;
        foreach (var data in SseData(body))
        {
            if (data.TryGetProperty("choices", out var choices))
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                    {
                        text.Append(c.GetString());
                    }
                    if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
                    {
                        finish = f.GetString();
                    }
                }
            }
            if (data.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
            {
                usage = OpenAIUsage(u);
            }
        }
        return new(text.ToString(), StopReasons.FromRaw(finish), usage);
    }

    private static RecordedExpectation OpenAIJson(JsonElement root)
    {
        var choice = root.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        var refused = message.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String;
        var stop = refused ? StopReasons.ContentFilter : StopReasons.FromRaw(choice.GetProperty("finish_reason").GetString());
        return new(content, stop, OpenAIUsage(root.GetProperty("usage")));
    }

    private static TokenUsage OpenAIUsage(JsonElement usage)
    {
        var cached = usage.TryGetProperty("prompt_tokens_details", out var d) && d.ValueKind == JsonValueKind.Object ? Long(d, "cached_tokens") ?? 0 : 0;
        return new TokenUsage((Long(usage, "prompt_tokens") ?? 0) - cached, Long(usage, "completion_tokens") ?? 0, 0, cached);
    }

    private static RecordedExpectation Ollama(string body)
    {
        var text = new StringBuilder();
        string? done = null;
        long prompt = 0, eval = 0;
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var obj = JsonDocument.Parse(line).RootElement;
            if (obj.TryGetProperty("message", out var m) && m.TryGetProperty("content", out var c))
            {
                text.Append(c.GetString());
            }
            if (obj.TryGetProperty("done_reason", out var d) && d.ValueKind == JsonValueKind.String)
            {
                done = d.GetString();
            }
            prompt = Long(obj, "prompt_eval_count") ?? prompt;
            eval = Long(obj, "eval_count") ?? eval;
        }
        return new(text.ToString(), StopReasons.FromRaw(done), new TokenUsage(prompt, eval));
    }

    private static long? Long(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}
