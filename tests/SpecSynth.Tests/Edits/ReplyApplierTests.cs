using SpecSynth.Edits;
using SpecSynth.Parsing;

namespace SpecSynth.Tests.Edits;

public sealed class ReplyApplierTests : IDisposable
{
    private const string Original = "class Order\n{\n    int Total() => 0;\n}\n";
    private const string Edit = "src/Order.cs\n```csharp\n<<<<<<< SEARCH\n    int Total() => 0;\n=======\n    int Total() => 1;\n>>>>>>> REPLACE\n```\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EditContext Context(string? sent = Original) => new(_dir.Path, null,
        sent is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["src/Order.cs"] = sent });

    [Fact]
    public void EditsApplyToTheFileOnDisk_InMemory()
    {
        _dir.Write("src/Order.cs", Original);

        var applied = ReplyApplier.Apply(ResponseParser.Parse(Edit), Context(), []);

        var file = Assert.Single(applied.Files);
        Assert.Equal(Original.Replace("=> 0", "=> 1", StringComparison.Ordinal), file.Content);
        Assert.Equal(EditOutcome.Exact, applied.Outcomes["src/Order.cs"]);
        Assert.Equal(Original, File.ReadAllText(_dir.Combine("src", "Order.cs")));
    }

    [Fact]
    public void AFileChangedOnDiskSinceThePrompt_RefusesItsEdits_EvenWhenTheyWouldStillMatch()
    {
        _dir.Write("src/Order.cs", Original + "// edited meanwhile\n");

        var applied = ReplyApplier.Apply(ResponseParser.Parse(Edit), Context(), []);

        Assert.Empty(applied.Files);
        Assert.Contains("changed on disk since the prompt was built", Assert.Single(applied.Failures).Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AnElidedWholeFileOfAnExistingFile_IsRefused_ButANewFileMayUseDots()
    {
        _dir.Write("src/Order.cs", Original);
        const string reply = "```csharp\n// filepath: src/Order.cs\nclass Order\n{\n    // ... existing code ...\n    int Count() => 0;\n}\n```\n\n" +
            "```csharp\n// filepath: src/New.cs\n// ... existing code ...\nclass New { }\n```\n";

        var applied = ReplyApplier.Apply(ResponseParser.Parse(reply), Context(), []);

        Assert.Equal("src/New.cs", Assert.Single(applied.Files).Path);
        var failure = Assert.Single(applied.Failures);
        Assert.Equal("src/Order.cs", failure.Path);
        Assert.Contains("leaves code out at line 3", failure.Problems[0], StringComparison.Ordinal);
    }
}
