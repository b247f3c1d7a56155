using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Ollama through OLLAMA_HOST given as <c>host:port</c>, the way the ollama CLI reads it.</summary>
internal sealed class OllamaCase : ProviderCase
{
    public const string Model = "qwen2.5-coder:7b";

    public override string Name => "ollama";

    public override string Provider => "ollama";

    public override string ChatPath => "/api/chat";

    public override string AnsweringModel => Model;

    public override TokenUsage ExpectedUsage => new(1203, 845);

    public override IReadOnlyDictionary<string, string> Env(Uri root) => new Dictionary<string, string>
    {
        ["OLLAMA_HOST"] = $"{root.Host}:{root.Port}",
    };

    public override FakeResponse Reply(string text, bool stream, string stop = "stop") => stream
        ? OllamaWire.Stream(Deltas(text), stop, 1203, 845, Model)
        : OllamaWire.Json(text, stop, 1203, 845, Model);

    public override FakeResponse Error(int status, string message, string code) => OllamaWire.Error(status, message);

    public override string SystemPrompt(JsonElement body) => MessageText(body, "system", first: true);

    public override string UserPrompt(JsonElement body) => MessageText(body, "user", first: false);

    public override FakeResponse? Route(RecordedRequest request) => request.Path switch
    {
        "/api/tags" => OllamaWire.Tags(Model),
        "/api/show" => OllamaWire.Show("qwen2", 32_768),
        _ => null,
    };
}
