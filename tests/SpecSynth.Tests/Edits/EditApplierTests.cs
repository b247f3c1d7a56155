using System.Diagnostics;
using SpecSynth.Edits;

namespace SpecSynth.Tests.Edits;

public sealed class EditApplierTests
{
    private const string Order = "namespace Shop;\n\npublic sealed class Order\n{\n    public decimal Total()\n    {\n        return 0m;\n    }\n\n    public int Count()\n    {\n        return 0;\n    }\n}\n";

    private static EditBlock Block(string search, string replace, int number = 1) => new(search, replace, number, 10 * number);

    [Fact]
    public void AnExactBlock_ReplacesOnlyItsLines()
    {
        var result = EditApplier.Apply("src/Order.cs", Order, [Block("    public decimal Total()\n    {\n        return 0m;\n", "    public decimal Total()\n    {\n        return 42m;\n")]);

        Assert.Equal(EditOutcome.Exact, result.Outcome);
        Assert.Equal(Order.Replace("return 0m;", "return 42m;", StringComparison.Ordinal), result.Content);
    }

    [Fact]
    public void CrLfFiles_KeepCrLf_AndAFileWithoutFinalNewlineKeepsNone()
    {
        var crlf = Order.Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\r', '\n');

        var result = EditApplier.Apply("src/Order.cs", crlf, [Block("        return 0;\n", "        return 1;\n        // counted\n")]);

        Assert.Equal(EditOutcome.Exact, result.Outcome);
        Assert.Equal(crlf.Replace("        return 0;", "        return 1;\r\n        // counted", StringComparison.Ordinal), result.Content);
        Assert.DoesNotContain("\r\r", result.Content!, StringComparison.Ordinal);
        Assert.False(result.Content!.EndsWith('\n'));
    }

    [Fact]
    public void AWhitespaceOnlyDifference_MatchesFuzzily_AndIsReindented()
    {
        var result = EditApplier.Apply("src/Order.cs", Order, [Block("public int Count()\n{\n    return 0;\n", "public int Count()\n{\n    return 7;\n")]);

        Assert.Equal(EditOutcome.Fuzzy, result.Outcome);
        Assert.Contains("    public int Count()\n    {\n        return 7;\n    }\n", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void ASearchThatMatchesNowhere_RefusesTheFile_NamingTheBlockAndTheNearestLines()
    {
        var result = EditApplier.Apply("src/Order.cs", Order,
        [
            Block("        return 0m;\n", "        return 1m;\n"),
            Block("    public int Count()\n    {\n        return -1;\n", "x\n", 2),
        ]);

        Assert.Equal(EditOutcome.Refused, result.Outcome);
        Assert.Null(result.Content);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("block 2 of 2 for src/Order.cs (reply line 20) did not match", problem, StringComparison.Ordinal);
        Assert.Contains("are 10-12:", problem, StringComparison.Ordinal);
        Assert.Contains("10|     public int Count()", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ASearchThatMatchesTwice_IsRefused_WithBothPlaces()
    {
        var result = EditApplier.Apply("src/Order.cs", Order, [Block("    {\n", "    {\n        // x\n")]);

        Assert.Equal(EditOutcome.Refused, result.Outcome);
        Assert.Contains("matches 2 places (lines 6-6, 11-11)", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingBlocks_AreRefused()
    {
        var result = EditApplier.Apply("src/Order.cs", Order,
        [
            Block("    public decimal Total()\n    {\n", "    public decimal Sum()\n    {\n"),
            Block("    {\n        return 0m;\n", "    {\n        return 2m;\n", 2),
        ]);

        Assert.Equal(EditOutcome.Refused, result.Outcome);
        Assert.Contains("block 2 of 2 for src/Order.cs overlaps block 1", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptySearch_CreatesAMissingFile_ButIsRefusedOnAnExistingOne()
    {
        var created = EditApplier.Apply("src/New.cs", null, [Block("", "class New { }\n")]);
        var existing = EditApplier.Apply("src/Order.cs", Order, [Block("", "class New { }\n")]);
        var searchingMissing = EditApplier.Apply("src/New.cs", null, [Block("class Old { }\n", "class New { }\n")]);

        Assert.Equal("class New { }\n", created.Content);
        Assert.Equal(EditOutcome.Refused, existing.Outcome);
        Assert.Contains("an empty SEARCH only creates a new file", existing.Problems[0], StringComparison.Ordinal);
        Assert.Contains("the file does not exist", searchingMissing.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ATenThousandLineFile_AppliesInAFewMilliseconds()
    {
        var lines = Enumerable.Range(0, 10_000).Select(i => $"    public int Field{i} = {i};");
        var content = string.Join('\n', lines) + "\n";
        EditBlock[] blocks = [Block("    public int Field5000 = 5000;\n", "    public int Field5000 = -1;\n"), Block("    public int Field9999 = 9999;\n", "", 2)];
        EditApplier.Apply("big.cs", content, blocks);

        // The fastest of five runs: the machine is shared, and the bench (bench/EditBench) gives the real figure.
        var best = TimeSpan.MaxValue;
        EditResult? result = null;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            result = EditApplier.Apply("big.cs", content, blocks);
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        Assert.Equal(EditOutcome.Exact, result!.Outcome);
        Assert.Contains("Field5000 = -1;", result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("Field9999", result.Content, StringComparison.Ordinal);
        Assert.True(best.TotalMilliseconds < 50, $"{best.TotalMilliseconds} ms");
    }
}
