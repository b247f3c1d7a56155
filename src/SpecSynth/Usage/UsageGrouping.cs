namespace SpecSynth.Usage;

/// <summary>How <c>specsynth usage --by</c> groups the ledger's rows.</summary>
public enum UsageGrouping
{
    /// <summary>By the provider that answered.</summary>
    Provider,

    /// <summary>By model id.</summary>
    Model,

    /// <summary>By UTC day (<c>yyyy-MM-dd</c>).</summary>
    Day,

    /// <summary>By spec (path, else title; <c>(none)</c> for calls about no spec).</summary>
    Spec,

    /// <summary>By operation (generate, explain, ...).</summary>
    Operation,
}
