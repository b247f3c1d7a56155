using SpecSynth.Context;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// A ranker that answers an empty project (no file, no tree entry: the fresh output folder of a quick start) with no
/// files at once, and creates the real ranker (<paramref name="create"/>) only for a project that has something to rank.
/// Ranking nothing gave nothing before as well; it only cost the ranker's first use and the context index's file for
/// an empty folder (issue 19, start-up: about 50 ms of the mock quick start).
/// </summary>
/// <param name="create">Makes the ranker used for projects with files; called at most once.</param>
internal sealed class EmptyProjectRanker(Func<IRelevanceRanker> create) : IRelevanceRanker
{
    private readonly Lazy<IRelevanceRanker> _inner = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether <paramref name="project"/> has nothing a ranker could rank.</summary>
    public static bool IsEmpty(ProjectContext project) =>
        project.Files.Count == 0 && project.Tree.Count == 0 && project.Entries.Count == 0;

    /// <inheritdoc />
    public Task<IReadOnlyList<RankedFile>> RankAsync(Specification spec, ProjectContext project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(project);
        cancellationToken.ThrowIfCancellationRequested();
        return IsEmpty(project) ? Task.FromResult<IReadOnlyList<RankedFile>>([]) : _inner.Value.RankAsync(spec, project, cancellationToken);
    }
}
