namespace SpecSynth.Config;

/// <summary>How much project context a generate prompt may carry (<c>[context]</c>).</summary>
public sealed record ContextOptions
{
    /// <summary>The fewest tokens <c>[context] budget</c> accepts (the template and a short spec need about this much).</summary>
    public const int MinBudget = 1024;

    /// <summary>The most tokens a generate prompt may take, below each model's own limit (window − reply − margin); <c>null</c>: the whole window.</summary>
    public int? Budget { get; init; }

    /// <summary>Whether a persistent per-project index under the state folder remembers what each file holds, so a later
    /// <c>context</c> or <c>generate</c> reads only the files changed since (<c>index</c>, default <c>true</c>). The
    /// ranking is the same either way.</summary>
    public bool Index { get; init; } = true;

    /// <summary>The values <see cref="IndexBuild"/> accepts.</summary>
    public static IReadOnlyList<string> IndexBuilds { get; } = ["background", "inline"];

    /// <summary>What a ranking that finds no usable index for the project does (<c>index_build</c>): <c>background</c> (the
    /// default) ranks without it and leaves the index to be built after the answer, off the critical path; <c>inline</c>
    /// builds it while it ranks. Background needs a host that builds it (<see cref="SpecSynthOptions.DeferIndexBuild"/>: the
    /// CLI starts <c>specsynth index</c> once it has answered); without one the index is built inline. The ranking is the
    /// same either way.</summary>
    public string IndexBuild { get; init; } = "background";

    /// <summary>The most the indexes of all projects may take together, in MiB (<c>index_max_mb</c>, default 512); the
    /// least recently used go first.</summary>
    public int IndexMaxMb { get; init; } = Context.Index.ContextIndexOptions.DefaultMaxMb;

    /// <summary>The most files of the project the walk lists (<c>max_files</c>, default 20,000): the first ones depth-first
    /// in path order; the rest are neither ranked nor in the project structure.</summary>
    public int MaxFiles { get; init; } = 20_000;
}
