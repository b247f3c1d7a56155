namespace SpecSynth.Jobs;

/// <summary>The flags every model-calling command shares, taken from its request.</summary>
internal sealed record RunFlags(string? ProjectRoot, string? OutputRoot, string? Providers, string? Model, decimal? MaxCost,
    Caching.CacheMode Cache, bool Stream, bool ExactTokens);
