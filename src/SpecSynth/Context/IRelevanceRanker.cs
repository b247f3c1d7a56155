using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Context;

/// <summary>Ranks a project's files by relevance to a specification. Thread-safe.</summary>
internal interface IRelevanceRanker
{
    /// <summary>The files of <paramref name="project"/> that are relevant to <paramref name="spec"/>, best first (files with no
    /// relevance at all are left out; they remain paths in the project tree). Files that are not in
    /// <see cref="ProjectContext.Files"/> (over the scan's byte limits) may be read from disk under
    /// <see cref="ProjectContext.Root"/>; nothing is kept in memory beyond what ranking needs.</summary>
    Task<IReadOnlyList<RankedFile>> RankAsync(Specification spec, ProjectContext project, CancellationToken cancellationToken = default);
}
