namespace SpecSynth.Context.Relevance;

/// <summary>Limits of <see cref="RelevanceRanker"/>.</summary>
internal sealed record RelevanceOptions
{
    /// <summary>The defaults.</summary>
    public static RelevanceOptions Default { get; } = new();

    /// <summary>Files larger than this are ranked by their path only, never read. Default 256 KB (the scanner's limit).</summary>
    public long MaxFileBytes { get; init; } = 256 * 1024;

    /// <summary>At most this many files are returned (best first). Default 500.</summary>
    public int MaxResults { get; init; } = 500;

    /// <summary>How many of the best files lend part of their score to the files they reference and that reference
    /// them (one hop). Default 10.</summary>
    public int Seeds { get; init; } = 10;

    /// <summary>Files read in parallel. Default: the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}
