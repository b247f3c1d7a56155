using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>OpenAI through OPENAI_API_KEY and OPENAI_BASE_URL=.../v1, with cached prompt tokens in the usage.</summary>
internal class OpenAICase : ProviderCase
{
    public override string Name => "openai";

    public override string Provider => "openai";

    public override string ChatPath => "/v1/chat/completions";

    public override string? Key => "sk-proj-SECRET-e2e-4b2d8e0f";

    public override string AnsweringModel => "gpt-4.1-2025-04-14";

    /// <summary>prompt_tokens 3000 of which 1024 cached: 1976 uncached, 1024 cache reads.</summary>
    public override TokenUsage ExpectedUsage => new(1976, 845, CacheWriteTokens: 0, CacheReadTokens: 1024);

    /// <summary>The base path under the server root.</summary>
    protected virtual string BasePath => "v1";

    public override IReadOnlyDictionary<string, string> Env(Uri root)
    {
        var env = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = new Uri(root, BasePath).AbsoluteUri };
        if (Key is { } key)
        {
            env["OPENAI_API_KEY"] = key;
        }
        return env;
    }

    public override FakeResponse Reply(string text, bool stream, string stop = "stop") => stream
        ? OpenAIWire.Stream(Deltas(text), stop, 3000, 845, 1024)
        : OpenAIWire.Json(text, stop, 3000, 845, 1024);

    public override FakeResponse Error(int status, string message, string code) => OpenAIWire.Error(status, message, code, code);

    public override string SystemPrompt(JsonElement body) => MessageText(body, "system", first: true);

    public override string UserPrompt(JsonElement body) => MessageText(body, "user", first: false);
}
