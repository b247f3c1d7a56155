using SpecSynth.Context;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace CostBench;

/// <summary>Every scanned file, in path order, as "related": the cost benchmark measures the prompt layout, not the
/// ranking, so every spec sees the same project files.</summary>
internal sealed class AllFilesRanker : IRelevanceRanker
{
    public Task<IReadOnlyList<RankedFile>> RankAsync(Specification spec, ProjectContext project, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RankedFile>>([.. project.Files.Select(f => new RankedFile(f.Path, f.Bytes, 1, ["benchmark: every file"]))]);
}
