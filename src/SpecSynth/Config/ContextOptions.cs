namespace SpecSynth.Config;

/// <summary>How much project context a generate prompt may carry (<c>[context]</c>).</summary>
public sealed record ContextOptions
{
    /// <summary>The fewest tokens <c>[context] budget</c> accepts (the template and a short spec need about this much).</summary>
    public const int MinBudget = 1024;

    /// <summary>The most tokens a generate prompt may take, below each model's own limit (window − reply − margin); <c>null</c>: the whole window.</summary>
    public int? Budget { get; init; }
}
