namespace SpecSynth.Config;

/// <summary>
/// One <c>[models."ID"]</c> section of <c>specsynth.toml</c>: limits and prices of a model the built-in catalog does not
/// know (a fine-tune, a new release) or knows with outdated numbers. Each value left out keeps the catalog's (or, for a
/// model it does not know, the conservative guess). Used by planning (window, output cap) and cost accounting.
/// </summary>
public sealed record ModelOverride
{
    /// <summary>The provider the model belongs to (<c>provider</c>); <c>null</c>: every provider with this model id.</summary>
    public string? Provider { get; init; }

    /// <summary>The context window in tokens (<c>context</c>), or <c>null</c>.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>The largest output in tokens (<c>max_output</c>), or <c>null</c>.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>USD per million input tokens (<c>input_usd_per_mtok</c>), or <c>null</c>.</summary>
    public decimal? InputPerMillion { get; init; }

    /// <summary>USD per million output tokens (<c>output_usd_per_mtok</c>), or <c>null</c>.</summary>
    public decimal? OutputPerMillion { get; init; }

    /// <summary>USD per million tokens written to the prompt cache (<c>cache_write_usd_per_mtok</c>), or <c>null</c>.</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>USD per million tokens read from the prompt cache (<c>cache_read_usd_per_mtok</c>), or <c>null</c>.</summary>
    public decimal? CacheReadPerMillion { get; init; }
}
