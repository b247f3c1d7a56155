namespace SpecSynth;

/// <summary>The models specsynth knows: their context window, output limit and list prices, as <c>models</c> lists them.
/// A model missing here still works; it is planned and priced conservatively.</summary>
public static class KnownModels
{
    /// <summary>Every model of the built-in catalog, by provider then id.</summary>
    public static IReadOnlyList<KnownModel> All { get; } = [.. Providers.ModelCatalog.BuiltIn.Models
        .OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
        .Select(m => new KnownModel(m.Provider, m.Id, m.ContextWindow, m.MaxOutputTokens, m.InputPerMillion, m.OutputPerMillion,
            m.CacheWritePerMillion, m.CacheReadPerMillion))];
}
