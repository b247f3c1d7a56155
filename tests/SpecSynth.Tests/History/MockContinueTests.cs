using SpecSynth.History;
using SpecSynth.Generation;
using SpecSynth.Providers.Mock;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.History;

/// <summary>The mock's deterministic answers to continuations and compaction requests.</summary>
public sealed class MockContinueTests
{
    private static async Task<Specification> ExampleSpec() =>
        await SpecParser.ParseFileAsync(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md"));

    [Fact]
    public async Task AContinuation_GetsTheProjectPlusChangesListingEveryInstructionInOrder()
    {
        ConversationTurn[] earlier =
        [
            new(TurnRole.User, "Generate the code for the specification spec.md"),
            new(TurnRole.Assistant, "reply"),
            new(TurnRole.User, "Continue the work on the specification spec.md\nInstruction: add input validation"),
            new(TurnRole.Assistant, "reply"),
        ];
        var options = new GenerationOptions { AdjustPrompt = p => HistoryMessages.Continue(p, earlier, "print colours") };

        var result = await new LlmCodeGenerator(new MockChatClient(), "mock").GenerateCodeAsync(await ExampleSpec(), ProjectContext.Empty("/tmp/x"), options);

        Assert.Contains(result.Files, f => f.Path == "src/TodoStore.cs");
        var changes = Assert.Single(result.Files, f => f.Path == "CHANGES.md").Content;
        Assert.Contains("1. add input validation\n2. print colours\n", changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProjectFileMentioningTheInstructionTag_DoesNotMakeAPlainGenerateAContinuation()
    {
        var project = new ProjectContext
        {
            Root = "/tmp/x",
            Files = [new ProjectFile("notes.md", "<instruction>\nnot for you\n</instruction>", 40, "markdown")],
            Tree = ["notes.md"],
        };

        var result = await new LlmCodeGenerator(new MockChatClient(), "mock").GenerateCodeAsync(await ExampleSpec(), project);

        Assert.DoesNotContain(result.Files, f => f.Path == "CHANGES.md");
    }

    [Fact]
    public async Task ACompactionRequest_GetsASummaryNamingTheFilesAndInstructions()
    {
        var store = new ConversationStore(Path.Combine(Path.GetTempPath(), "specsynth-tests", Guid.NewGuid().ToString("N"), "h.db"), TimeProvider.System);
        try
        {
            var conversation = store.Start("/p", "a.md", "A", "/p");
            store.Append(conversation.Id,
            [
                new ConversationTurn(TurnRole.User, "Instruction: add input validation"),
                new ConversationTurn(TurnRole.Assistant, "```csharp\n// filepath: src/Validator.cs\n" + new string('x', 3000) + "\n```"),
                new ConversationTurn(TurnRole.User, "Instruction: print colours"),
                new ConversationTurn(TurnRole.Assistant, "ok"),
            ]);

            var result = await new HistoryCompactor(new MockChatClient(), CharRatioTokenCounter.Instance, CompactionTemplate.BuiltIn)
                .FitAsync(store, store.Get(conversation.Id)!, 300);

            var summary = result.Conversation.Turns[0];
            Assert.True(summary.IsSummary);
            Assert.Contains("wrote src/Validator.cs", summary.Text, StringComparison.Ordinal);
            Assert.Contains("Instruction: add input validation", summary.Text, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(store.FilePath)!, recursive: true);
        }
    }
}
