using System.Collections.Concurrent;

namespace SpecSynth.Providers;

/// <summary>
/// The parameters each model refused, and the output cap it said is its maximum, per provider, base URL and model, so a
/// refusal costs one extra request per host (one per <see cref="Hosting.RunServices"/>) and not one per call. Thread-safe.
/// </summary>
/// <param name="catalog">The models' known refusals.</param>
internal sealed class RejectedParameters(ModelCatalog catalog)
{
    private readonly ConcurrentDictionary<string, RejectedParameter> byModel = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> outputCaps = new(StringComparer.OrdinalIgnoreCase);

    // Whether anything was learned yet: until a model refuses something (the usual run), a lookup builds no key.
    private volatile bool anyRefused;
    private volatile bool anyCap;

    /// <summary>What <paramref name="model"/> refused so far.</summary>
    public RejectedParameter Get(ProviderSettings settings, string model) =>
        anyRefused && byModel.TryGetValue(Key(settings, model), out var known) ? known : RejectedParameter.None;

    /// <summary>Remembers a refusal; <c>true</c> when it was not known yet (so the caller warns once).</summary>
    public bool Add(ProviderSettings settings, string model, RejectedParameter parameter)
    {
        var added = false;
        byModel.AddOrUpdate(Key(settings, model),
            _ =>
            {
                added = true;
                return parameter;
            },
            (_, known) =>
            {
                added = (known & parameter) != parameter;
                return known | parameter;
            });
        anyRefused = true;
        return added;
    }

    /// <summary>The largest output cap <paramref name="model"/> accepted according to its own refusals, or <c>null</c>.</summary>
    public int? OutputCap(ProviderSettings settings, string model) =>
        anyCap && outputCaps.TryGetValue(Key(settings, model), out var cap) ? cap : null;

    /// <summary>Remembers that <paramref name="model"/> accepts at most <paramref name="cap"/> output tokens; <c>true</c> when
    /// this lowered what was known (so the caller warns).</summary>
    public bool LowerOutputCap(ProviderSettings settings, string model, int cap)
    {
        var lowered = false;
        outputCaps.AddOrUpdate(Key(settings, model),
            _ =>
            {
                lowered = true;
                return cap;
            },
            (_, known) =>
            {
                lowered = cap < known;
                return Math.Min(cap, known);
            });
        anyCap = true;
        return lowered;
    }

    /// <summary>What to leave out for <paramref name="model"/>: the catalog's known refusals plus the learned ones.</summary>
    public RejectedParameter For(ProviderSettings settings, string model)
    {
        var info = catalog.Lookup(settings.Provider, model);
        var known = (info.RejectsTemperature ? RejectedParameter.Temperature : RejectedParameter.None)
            | (info.RejectsPrefill ? RejectedParameter.Prefill : RejectedParameter.None);
        return known | Get(settings, model);
    }

    private static string Key(ProviderSettings settings, string model) =>
        $"{ProviderIds.Normalize(settings.Provider) ?? settings.Provider}|{settings.EffectiveBaseUrl.AbsoluteUri.TrimEnd('/')}|{model.Trim()}";
}
