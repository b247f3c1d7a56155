using System.Text.Json;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public sealed class OllamaConformanceTests : ProviderConformanceTests
{
    internal override string Provider => ProviderIds.Ollama;

    internal override string ChatPath => "/api/chat";

    internal override string KeyVariable => "OLLAMA_API_KEY";

    internal override ProviderSettings Settings() => base.Settings() with { ApiKey = null };

    internal override FakeResponse StreamText(IReadOnlyList<string> deltas, string finish, long input, long output) =>
        OllamaWire.Stream(deltas, finish, input, output);

    internal override FakeResponse JsonText(string text, string finish, long input, long output) =>
        OllamaWire.Json(text, finish, input, output);

    internal override FakeResponse Error(int status, string message, string code) => OllamaWire.Error(status, message);

    internal override string WireFinish(string ours) => ours;

    internal override void AssertSystemAndLimits(JsonElement body, string system, int maxTokens, float? temperature)
    {
        var first = body.GetProperty("messages")[0];
        Assert.Equal("system", first.GetProperty("role").GetString());
        Assert.Equal(system, first.GetProperty("content").GetString());
        Assert.Equal("test-model", body.GetProperty("model").GetString());
        var options = body.GetProperty("options");
        Assert.Equal(maxTokens, options.GetProperty("num_predict").GetInt32());
        ClaudeConformanceTests.AssertTemperature(options, temperature);
    }
}
