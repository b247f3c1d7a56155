using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Claude through ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, with prompt-cache reads and writes in the usage.</summary>
internal sealed class ClaudeCase : ProviderCase
{
    public override string Name => "claude";

    public override string Provider => "claude";

    public override string ChatPath => "/v1/messages";

    public override string? Key => "sk-ant-api03-SECRET-e2e-7f3a9c1d";

    public override string AnsweringModel => "claude-sonnet-4-5-20250929";

    public override TokenUsage ExpectedUsage => new(1203, 845, CacheWriteTokens: 4096, CacheReadTokens: 2048);

    public override IReadOnlyDictionary<string, string> Env(Uri root) => new Dictionary<string, string>
    {
        ["ANTHROPIC_API_KEY"] = Key!,
        ["ANTHROPIC_BASE_URL"] = root.AbsoluteUri.TrimEnd('/'),
    };

    public override FakeResponse Reply(string text, bool stream, string stop = "stop")
    {
        var wire = stop == "length" ? "max_tokens" : "end_turn";
        return stream
            ? AnthropicWire.Stream(Deltas(text), wire, 1203, 845, 4096, 2048, AnsweringModel)
            : AnthropicWire.Json(text, wire, 1203, 845, 4096, 2048, AnsweringModel);
    }

    public override FakeResponse Error(int status, string message, string code) => AnthropicWire.Error(status, code, message);

    public override string SystemPrompt(JsonElement body)
    {
        Assert.DoesNotContain(body.GetProperty("messages").EnumerateArray(), m => m.GetProperty("role").GetString() == "system");
        return ContentText(body.GetProperty("system"));
    }

    public override string UserPrompt(JsonElement body) => MessageText(body, "user", first: false);
}
