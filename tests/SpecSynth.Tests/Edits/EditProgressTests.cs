using SpecSynth.Cli.Commands;

namespace SpecSynth.Tests.Edits;

public sealed class EditProgressTests
{
    [Fact]
    public void StreamedEditBlocks_AreCounted_EvenSplitAcrossDeltas()
    {
        var stats = new StreamStats();
        foreach (var delta in new[] { "src/Order.cs\n```csharp\n<<<<", "<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n", "<<<<<<< SEARCH\nx <<<<<<< SEARCH\n", "=======\ny\n>>>>>>> REPLACE\n```\n" })
        {
            stats.Add(delta);
        }

        Assert.Equal(2, stats.Edits);
        Assert.Equal(1, stats.Files);
        Assert.Contains("1 files (2 edits)", stats.Describe(TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
    }
}
