using Microsoft.Extensions.AI;
using SpecSynth.Generation;
using SpecSynth.Parsing;
using SpecSynth.Prompting;
using SpecSynth.Validation;
using SpecSynth.Generation.Repair;
using SpecSynth.Tests.Validation;

namespace SpecSynth.Tests.Generation.Repair;

public sealed class RepairLoopTests
{
    private const string FirstReply = """
        Here is the code.

        ```csharp
        // filepath: src/Program.cs
        class Program { static void Main() { int x = ; } }
        ```

        ```json path=appsettings.json
        { "Logging": { "Level": "Info" } }
        ```
        """;

    private const string FixedCs = """
        ```csharp
        // filepath: src/Program.cs
        class Program { static void Main() { int x = 1; } }
        ```
        """;

    private const string StillBroken = """
        Sorry, fixed now.

        ```csharp
        // filepath: src/Program.cs
        class Program { static void Main() { int x = 1 } }
        ```
        """;

    private static readonly ChatPrompt Prompt = new(
        [new ChatMessage(ChatRole.System, "You write code."), new ChatMessage(ChatRole.User, "Write a program.")], "test-1");

    private static IReadOnlyList<GeneratedFile> Parse(string reply) =>
        [.. ResponseParser.Parse(reply).Files.Select(f => new GeneratedFile(f.Path, f.Content, f.Language))];

    private static RepairLoop Loop(IChatClient client, RepairOptions? options = null) =>
        new(client, new CodeValidator(TimeProvider.System), (options ?? RepairOptions.Default) with { Generation = new GenerationOptions { Stream = false } });

    [Fact]
    public async Task ARepairThatSucceedsOnTheSecondReply_EndsValid_KeepingFilesNotResent()
    {
        using var dir = new TempDir();
        var client = new SequenceChatClient(FixedCs);

        var result = await Loop(client).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(1, result.RoundsUsed);
        Assert.Equal(["src/Program.cs", "appsettings.json"], result.Files.Select(f => f.Path));
        Assert.Contains("int x = 1;", result.Files[0].Content, StringComparison.Ordinal);
        Assert.Contains("Logging", result.Files[1].Content, StringComparison.Ordinal);
        var first = result.Rounds[0];
        Assert.Equal(ValidationStatus.Invalid, first.Validation[0].Status);
        Assert.Contains(first.Diagnostics, d => d.Path == "src/Program.cs" && d.Line == 1 && d.Column == 46);
        Assert.Equal(["src/Program.cs"], result.Rounds[1].ResentFiles);
        Assert.All(result.Validation, v => Assert.Equal(ValidationStatus.Valid, v.Status));
        Assert.Equal(150, result.Usage.Total);
    }

    [Fact]
    public async Task TheRepairRequest_ContinuesTheConversation_WithTheDiagnosticsPerFile()
    {
        using var dir = new TempDir();
        var client = new SequenceChatClient(StillBroken, FixedCs);

        await Loop(client).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.Equal(2, client.Requests.Count);
        var first = client.Requests[0];
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], first.Select(m => m.Role));
        Assert.Equal(FirstReply, first[2].Text);
        var repair = first[3].Text;
        Assert.Contains("### src/Program.cs (roslyn)", repair, StringComparison.Ordinal);
        Assert.Contains("line 1, column 46: error: CS1525", repair, StringComparison.Ordinal);
        Assert.DoesNotContain("appsettings.json", repair, StringComparison.Ordinal);
        Assert.Contains("// filepath:", repair, StringComparison.Ordinal);
        var second = client.Requests[1];
        Assert.Equal(6, second.Count);
        Assert.Equal(StillBroken, second[4].Text);
        Assert.Contains("CS1002", second[5].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepairThatNeverSucceeds_StopsAfterTheRounds_AndSaysInvalid()
    {
        using var dir = new TempDir();
        var client = new SequenceChatClient(StillBroken);

        var result = await Loop(client).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.False(result.Valid);
        Assert.Equal(2, result.RoundsUsed);
        Assert.Equal(2, client.Requests.Count);
        Assert.Equal([0, 1, 2], result.Rounds.Select(r => r.Number));
        Assert.All(result.Rounds, r => Assert.Contains(r.Validation, v => v.Status == ValidationStatus.Invalid));
        Assert.Contains(result.Rounds[2].Diagnostics, d => d.Message.StartsWith("CS1002", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidFilesWithoutACheck_AskNothing()
    {
        using var dir = new TempDir();
        var client = new SequenceChatClient(FixedCs);

        var result = await Loop(client).RunAsync(Prompt, FixedCs, Parse(FixedCs), dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(0, result.RoundsUsed);
        Assert.Empty(client.Requests);
    }

    [Fact]
    public async Task ACheckThatFailsThenPasses_IsRepaired_AndItsOutputIsQuoted()
    {
        using var dir = new TempDir();
        dir.Write("README.md", "project\n");
        const string first = "```python\n# filepath: app.py\nprint('hello')\n```\n";
        const string repaired = "```python\n# filepath: app.py\nprint('hello')  # FIXED\n```\n";
        var client = new SequenceChatClient(repaired);
        var options = new RepairOptions { CheckCommand = "test -f README.md && grep -q FIXED app.py || { echo 'app.py lacks the fix'; exit 1; }" };

        var result = await Loop(client, options).RunAsync(Prompt, first, Parse(first), dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(1, result.RoundsUsed);
        Assert.False(result.Rounds[0].Check!.Passed);
        Assert.True(result.Check!.Passed);
        Assert.Equal(ValidationStatus.Unvalidated, result.Validation[0].Status);
        var request = client.Requests[0][^1].Text!;
        Assert.Contains("failed with exit code 1", request, StringComparison.Ordinal);
        Assert.Contains("app.py lacks the fix", request, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("app.py")), "the repair loop must not write to the output folder");
    }

    [Fact]
    public async Task TheCheck_IsNotRun_WhileFilesHaveSyntaxErrors()
    {
        using var dir = new TempDir();
        var marker = dir.Combine("ran");
        var client = new SequenceChatClient(StillBroken);
        var options = new RepairOptions { CheckCommand = $"touch '{marker}'", MaxRounds = 1 };

        var result = await Loop(client, options).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.False(result.Valid);
        Assert.Null(result.Check);
        Assert.Contains("the check command was not run: files have syntax errors", result.Rounds[1].Notes);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task UnsafeIncompleteOrMissingFilesInARepairReply_AreIgnored_AndNoted()
    {
        using var dir = new TempDir();
        const string sneaky = "```text\n// filepath: ../outside.txt\nx\n```\n\n```csharp\n// filepath: src/Program.cs\nclass Program {";
        var client = new SequenceChatClient(sneaky, "I cannot help with that.");

        var result = await Loop(client).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.False(result.Valid);
        Assert.Equal(2, result.Files.Count);
        Assert.Contains("int x = ;", result.Files[0].Content, StringComparison.Ordinal);
        Assert.Contains(result.Rounds[1].Notes, n => n.StartsWith("'../outside.txt' was ignored", StringComparison.Ordinal));
        Assert.Contains(result.Rounds[1].Notes, n => n.Contains("was cut off", StringComparison.Ordinal));
        Assert.Contains("the repair reply contained no file with a path", result.Rounds[2].Notes);
    }

    [Fact]
    public async Task ARepairReplyMayAddANewFile()
    {
        using var dir = new TempDir();
        var client = new SequenceChatClient(FixedCs + "\n```xml\n<!-- filepath: src/App.csproj -->\n<Project />\n```\n");

        var result = await Loop(client).RunAsync(Prompt, FirstReply, Parse(FirstReply), dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(["src/Program.cs", "appsettings.json", "src/App.csproj"], result.Files.Select(f => f.Path));
        Assert.Equal("xml", result.Validation[2].Validator);
    }
}
