namespace SpecSynth.Tests.Edits;

/// <summary>Every reply of the corpus (<see cref="EditCorpusCase"/>) has its expected outcome, and its checks hold.</summary>
public sealed class EditCorpusTests
{
    public static TheoryData<string> Cases() => [.. EditCorpusCase.All().Select(c => c.Name)];

    [Fact]
    public void TheCorpus_HasAtLeast40Replies_OfAllThreeOutcomes()
    {
        var all = EditCorpusCase.All();

        Assert.True(all.Count >= 40, $"{all.Count} cases");
        Assert.Equal(["exact", "fuzzy", "refused"], all.Select(c => c.Expect).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ACorpusReply_HasItsExpectedOutcome(string name)
    {
        var @case = EditCorpusCase.All().Single(c => c.Name == name);
        using var dir = new TempDir();

        var (outcome, applied) = @case.Run(dir.Path);

        var problems = string.Join(" | ", applied.Failures.SelectMany(f => f.Problems));
        Assert.True(@case.Expect == outcome, $"{name}: expected {@case.Expect}, got {outcome}. {problems}");
        var result = applied.Files.SingleOrDefault(f => f.Path == @case.Path)?.Content;
        foreach (var (key, value) in @case.Checks)
        {
            switch (key)
            {
                case "contains":
                    Assert.NotNull(result);
                    Assert.Contains(value.Replace("\r", "", StringComparison.Ordinal), result.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
                    break;
                case "absent":
                    Assert.NotNull(result);
                    Assert.DoesNotContain(value, result, StringComparison.Ordinal);
                    break;
                case "absent-result":
                    Assert.Null(result);
                    break;
                case "crlf":
                    Assert.NotNull(result);
                    Assert.Equal(result.Split('\n').Length - 1, result.Split("\r\n").Length - 1);
                    break;
                case "problem":
                    Assert.Contains(value, problems, StringComparison.Ordinal);
                    break;
                case "stale":
                    break;
                default:
                    Assert.Fail($"{name}: unknown check '{key}'");
                    break;
            }
        }
    }
}
