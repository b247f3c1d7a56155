using SpecSynth.Tests.Fakes;
using Microsoft.Extensions.AI;
using SpecSynth.Generation;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Generation;

public sealed class LlmCodeGeneratorTests
{
    private static readonly Specification Spec = new() { Title = "T", RawText = "# T\n\nDo it." };

    private static Task<GeneratedCode> Generate(string reply, bool stream = true, ChatFinishReason? finish = null,
        IProgress<string>? progress = null) =>
        new LlmCodeGenerator(new ScriptedChatClient(reply, finish), "fake")
            .GenerateCodeAsync(Spec, ProjectContext.Empty("/tmp/specsynth-never-written"),
                new GenerationOptions { Stream = stream, Progress = progress });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reply_BecomesConfinedFiles_WithUsageAndExplanation(bool stream)
    {
        var result = await Generate("Intro.\n\n```csharp\n// filepath: ./src/A.cs\nclass A {}\n```\n\nDone.\n", stream);

        var file = Assert.Single(result.Files);
        Assert.Equal("src/A.cs", file.Path);
        Assert.Equal("class A {}\n", file.Content);
        Assert.Equal(new TokenUsage(10, 20), result.TokensUsed);
        Assert.Equal("stop", result.StopReason);
        Assert.Equal("fake", result.Provider);
        Assert.Contains("Intro.", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ReportsEveryDelta()
    {
        var reply = "```csharp\n// filepath: a.cs\nclass A {}\n```\n";
        var seen = new System.Text.StringBuilder();
        await Generate(reply, progress: new SyncProgress(s => seen.Append(s)));
        Assert.Equal(reply, seen.ToString());
    }

    [Theory]
    [InlineData("../escape.cs")]
    [InlineData("/etc/passwd")]
    [InlineData(".git/config")]
    public async Task UnsafePath_FailsTheWholeBatch(string path)
    {
        var reply = $"```csharp\n// filepath: ok.cs\nclass Ok {{}}\n```\n```csharp\n// filepath: {path}\nclass Bad {{}}\n```\n";
        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => Generate(reply));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
    }

    [Fact]
    public async Task TruncatedReply_IsUnusable_NamingTheFile()
    {
        var ex = await Assert.ThrowsAsync<SpecSynthException>(() =>
            Generate("```csharp\n// filepath: whole.cs\nclass W {}\n```\n```csharp\n// filepath: cut.cs\nclass C {", finish: ChatFinishReason.Length));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("cut.cs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProseOnlyReply_IsUnusable()
    {
        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => Generate("I cannot help with that."));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("no file", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
