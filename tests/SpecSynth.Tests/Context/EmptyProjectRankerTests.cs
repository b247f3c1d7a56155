using SpecSynth.Context;
using SpecSynth.Context.Relevance;
using SpecSynth.Jobs;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Context;

/// <summary>An empty project (the fresh output folder of a quick start) is ranked without creating the ranker; any other
/// project is ranked by it, unchanged.</summary>
public sealed class EmptyProjectRankerTests
{
    private static readonly Specification Spec = SpecParser.Parse("# Todo\n\nThe `TodoStore` keeps items in `src/TodoStore.cs`.\n");

    [Fact]
    public async Task An_empty_project_ranks_nothing_and_never_creates_the_ranker()
    {
        var created = 0;
        var ranker = new EmptyProjectRanker(() =>
        {
            created++;
            return new RelevanceRanker();
        });

        using var dir = new TempDir();
        var empty = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(dir.Path);

        var ranked = await ranker.RankAsync(Spec, empty);

        Assert.True(EmptyProjectRanker.IsEmpty(empty));
        Assert.Empty(ranked);
        Assert.Equal(0, created);
        Assert.Empty(await new RelevanceRanker().RankAsync(Spec, empty));
    }

    [Fact]
    public async Task A_project_with_files_is_ranked_as_the_ranker_ranks_it()
    {
        using var dir = new TempDir();
        RelevanceFixture.WriteTodoProject(dir);
        var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(dir.Path);
        var created = 0;
        var ranker = new EmptyProjectRanker(() =>
        {
            created++;
            return new RelevanceRanker();
        });

        var ranked = await ranker.RankAsync(Spec, project);
        var again = await ranker.RankAsync(Spec, project);

        Assert.False(EmptyProjectRanker.IsEmpty(project));
        Assert.Equal(1, created);
        Assert.Equal((await new RelevanceRanker().RankAsync(Spec, project)).Select(r => r.Path), ranked.Select(r => r.Path));
        Assert.Contains(ranked, r => r.Path == "src/TodoStore.cs");
        Assert.Equal(ranked.Select(r => r.Path), again.Select(r => r.Path));
    }
}
