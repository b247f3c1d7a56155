using Microsoft.Extensions.AI;
using SpecSynth.Generation;
using SpecSynth.Parsing;
using SpecSynth.Prompting;
using SpecSynth.Providers.Mock;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Providers.Mock;

public sealed class MockChatClientTests
{
    private static async Task<Specification> ExampleSpec() =>
        await SpecParser.ParseFileAsync(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md"));

    [Fact]
    public async Task ExampleSpec_GetsTheBundledProject_ThroughTheRealParser()
    {
        var generator = new LlmCodeGenerator(new MockChatClient(), "mock");
        var result = await generator.GenerateCodeAsync(await ExampleSpec(), ProjectContext.Empty("/tmp/x"));

        Assert.Equal(["README.md", "TodoCli.csproj", "src/Program.cs", "src/TodoItem.cs", "src/TodoStore.cs"],
            result.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal("mock-1", result.Model);
    }

    [Fact]
    public async Task ProjectFilesThatContainPromptMarkup_DoNotConfuseTheMock()
    {
        var project = new ProjectContext
        {
            Root = "/tmp/x",
            // specsynth's own prompt template, as it is when the tool runs inside its own repository.
            Files = [new ProjectFile("prompts/generate.md", "<specification title=\"{{title}}\">\n{{specification}}\n</specification>", 60, "markdown")],
            Tree = ["prompts/generate.md"],
        };
        var result = await new LlmCodeGenerator(new MockChatClient(), "mock").GenerateCodeAsync(await ExampleSpec(), project);

        Assert.Contains(result.Files, f => f.Path == "TodoCli.csproj");
    }

    [Fact]
    public async Task SameMessages_GiveTheSameReply_StreamedOrNot()
    {
        using var client = new MockChatClient();
        var prompt = (await new LlmCodeGenerator(client, "mock").PlanContextAsync(await ExampleSpec(), ProjectContext.Empty("/tmp/x"))).Prompt;
        var whole = await client.GetResponseAsync(prompt.Messages);
        var streamed = await client.GetStreamingResponseAsync(prompt.Messages).ToChatResponseAsync();

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.Usage!.OutputTokenCount, streamed.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
    }

    [Fact]
    public async Task MaxOutputTokens_CutsTheReply_WithFinishReasonLength()
    {
        using var client = new MockChatClient();
        var prompt = (await new LlmCodeGenerator(client, "mock").PlanContextAsync(await ExampleSpec(), ProjectContext.Empty("/tmp/x"))).Prompt;
        var response = await client.GetResponseAsync(prompt.Messages, new ChatOptions { MaxOutputTokens = 100 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(400, response.Text.Length);
    }

    [Fact]
    public async Task UnknownSpec_GetsACompilableSkeletonListingItsRequirements()
    {
        var spec = SpecParser.Parse("# Weather \"Station\"\n\n## Requirements\n\n- Read the sensor every minute\n- Store \\ readings\n");
        var result = await new LlmCodeGenerator(new MockChatClient(), "mock").GenerateCodeAsync(spec, ProjectContext.Empty("/tmp/x"));

        var program = result.Files.Single(f => f.Path == "Program.cs").Content;
        Assert.Contains("\"Read the sensor every minute\",", program, StringComparison.Ordinal);
        Assert.Contains("\"Store \\\\ readings\",", program, StringComparison.Ordinal);
        Assert.Contains(result.Files, f => f.Path == "WeatherStation.csproj");
    }

    [Fact]
    public async Task Review_JudgesRequirementsByKeywordEvidence()
    {
        var code = PromptBuilder.FormatCode([("a.cs", "class TodoStore { void SaveAtomically() {} } // TODO: tests")]);
        var review = await new LlmCodeGenerator(new MockChatClient(), "mock").ReviewCodeAsync(code,
            [new Requirement(null, "TodoStore SaveAtomically", "R", 1), new Requirement(null, "Render charts beautifully", "R", 2)]);

        Assert.Equal([RequirementStatus.Met, RequirementStatus.NotMet], review.Requirements.Select(r => r.Status));
        Assert.Equal("a.cs:1", Assert.Single(review.Issues).Location);
    }

    [Fact]
    public async Task Explain_ListsDeclarationsPerFile()
    {
        var code = PromptBuilder.FormatCode([("a.cs", "public sealed class Widget {}\nrecord Gadget();")]);
        var explanation = await new LlmCodeGenerator(new MockChatClient(), "mock").ExplainImplementationAsync(code, null);
        Assert.Contains("## a.cs", explanation.Text, StringComparison.Ordinal);
        Assert.Contains("`Widget` (class)", explanation.Text, StringComparison.Ordinal);
        Assert.Contains("`Gadget` (record)", explanation.Text, StringComparison.Ordinal);
    }
}
