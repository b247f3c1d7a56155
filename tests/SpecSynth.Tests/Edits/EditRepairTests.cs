using Microsoft.Extensions.AI;
using SpecSynth.Edits;
using SpecSynth.Generation;
using SpecSynth.Generation.Repair;
using SpecSynth.Parsing;
using SpecSynth.Prompting;
using SpecSynth.Tests.Validation;
using SpecSynth.Validation;

namespace SpecSynth.Tests.Edits;

/// <summary>Edits that do not apply are invalid files: the repair round names the block and shows the real lines, and a repair
/// reply's edits apply to the files as they are now.</summary>
public sealed class EditRepairTests : IDisposable
{
    private const string Original = "public sealed class Order\n{\n    public decimal Total() => 0m;\n\n    public int Count() => 0;\n}\n";
    private const string BadEdit = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n    public decimal Total() => 1m;\n=======\n    public decimal Total() => 2m;\n>>>>>>> REPLACE\n```\n";
    private const string GoodEdit = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n    public decimal Total() => 0m;\n=======\n    public decimal Total() => 2m;\n>>>>>>> REPLACE\n```\n";
    private static readonly ChatPrompt Prompt = new([new ChatMessage(ChatRole.User, "Change the order.")], "test-1");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RepairLoop Loop(IChatClient client) =>
        new(client, new CodeValidator(TimeProvider.System), RepairOptions.Default with { Generation = new GenerationOptions { Stream = false } });

    private (IReadOnlyList<GeneratedFile> Files, IReadOnlyList<EditFailure> Failures, EditContext Context) First(string reply)
    {
        var context = EditContext.For(_dir.Path);
        var applied = ReplyApplier.Apply(ResponseParser.Parse(reply), context, []);
        return (applied.Files, applied.Failures, context);
    }

    [Fact]
    public async Task AFailedEdit_GoesToTheRepairRound_WithTheRealLines_AndTheRepairedEditApplies()
    {
        _dir.Write("src/Order.cs", Original);
        var client = new SequenceChatClient(GoodEdit);
        var (files, failures, context) = First(BadEdit);

        var result = await Loop(client).RunAsync(Prompt, BadEdit, files, failures, context, _dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(1, result.RoundsUsed);
        Assert.Equal(Original.Replace("=> 0m", "=> 2m", StringComparison.Ordinal), Assert.Single(result.Files).Content);
        var first = Assert.Single(result.Rounds[0].Validation);
        Assert.Equal(RepairLoop.EditValidator, first.Validator);
        var request = client.Requests[0][^1].Text;
        Assert.Contains("block 1 for src/Order.cs (reply line 3) did not match", request, StringComparison.Ordinal);
        Assert.Contains("3|     public decimal Total() => 0m;", request, StringComparison.Ordinal);
        Assert.Contains("SEARCH/REPLACE blocks whose SEARCH copies the real lines", request, StringComparison.Ordinal);
        Assert.Equal(Original, File.ReadAllText(_dir.Combine("src", "Order.cs")));
    }

    [Fact]
    public async Task AnEditThatNeverApplies_LeavesTheRunInvalid_WithTheFileNeverProduced()
    {
        _dir.Write("src/Order.cs", Original);
        var (files, failures, context) = First(BadEdit);

        var result = await Loop(new SequenceChatClient(BadEdit)).RunAsync(Prompt, BadEdit, files, failures, context, _dir.Path);

        Assert.False(result.Valid);
        Assert.Empty(result.Files);
        Assert.Equal(3, result.Rounds.Count);
        Assert.All(result.Rounds, r => Assert.Equal(ValidationStatus.Invalid, Assert.Single(r.Validation).Status));
    }

    [Fact]
    public async Task ARepairReplysEdits_ApplyToTheFilesAsTheEarlierRoundLeftThem()
    {
        _dir.Write("src/Order.cs", Original);
        const string broken = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n    public int Count() => 0;\n=======\n    public int Count() => ;\n>>>>>>> REPLACE\n```\n";
        const string fix = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n    public int Count() => ;\n=======\n    public int Count() => 3;\n>>>>>>> REPLACE\n```\n";
        var (files, failures, context) = First(broken);

        var result = await Loop(new SequenceChatClient(fix)).RunAsync(Prompt, broken, files, failures, context, _dir.Path);

        Assert.True(result.Valid);
        Assert.Equal(Original.Replace("Count() => 0", "Count() => 3", StringComparison.Ordinal), Assert.Single(result.Files).Content);
    }
}
