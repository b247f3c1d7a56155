namespace SpecSynth.Jobs;

/// <summary>The flags every model-calling command shares, taken from its request.</summary>
internal sealed record RunFlags(string? ProjectRoot, string? OutputRoot, string? Providers, string? Model, decimal? MaxCost,
    Caching.CacheMode Cache, bool Stream, bool ExactTokens)
{
    /// <summary>The run's generate calls go through a batch: the calls' time limits are raised to a day (they wait for it).</summary>
    public bool Batch { get; init; }

    /// <summary>The folder scanned for context, when set (a resumed batch run); else from the project and output folders.</summary>
    public string? ContextRoot { get; init; }
}
