using System.Text;
using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>OpenAI-compatible servers that differ from api.openai.com in small ways the CLI must absorb.</summary>
public sealed class CompatibleServerVariantsTests
{
    private const string Head = "{\"id\":\"chatcmpl-local\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"qwen2.5-coder-32b-instruct\",";

    [Fact]
    public async Task UsageInTheFinishChunk_AsLlamaCppAndTogetherSendIt_IsCountedOnce()
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        h.Server.Enqueue(LocalStream(",\"usage\":{\"prompt_tokens\":700,\"completion_tokens\":300,\"total_tokens\":1000}"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(700, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(300, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
    }

    [Fact]
    public async Task StreamWithoutAnyUsage_StillWritesTheFiles_WithZeroUsage()
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        h.Server.Enqueue(LocalStream(""));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(2, h.OutputFiles.Count);
    }

    [Fact]
    public async Task SseCommentLines_AsOpenRouterSendsThem_AreIgnored()
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        var body = Encoding.UTF8.GetString(h.Case.Reply(ModelAnswers.TwoFiles, stream: true).Body);
        body = ": OPENROUTER PROCESSING\n\n" + body.Replace("\n\ndata: ", "\n\n: OPENROUTER PROCESSING\n\ndata: ", StringComparison.Ordinal);
        h.Server.Enqueue(FakeResponse.Sse(body));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(ModelAnswers.TestsFile, File.ReadAllText(Path.Combine(h.Out, "tests", "GreeterTests.cs")));
    }

    /// <summary>A local server's stream of <see cref="ModelAnswers.TwoFiles"/>; <paramref name="finishExtra"/> is appended to the finish chunk.</summary>
    private static FakeResponse LocalStream(string finishExtra)
    {
        var sse = new StringBuilder();
        foreach (var delta in ProviderCase.Deltas(ModelAnswers.TwoFiles, 40))
        {
            sse.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{\"content\":")
                .Append(JsonSerializer.Serialize(delta)).Append("},\"finish_reason\":null}]}\n\n");
        }
        sse.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]").Append(finishExtra).Append("}\n\n");
        sse.Append("data: [DONE]\n\n");
        return FakeResponse.Sse(sse.ToString());
    }
}
