using System.Collections.Concurrent;

namespace SpecSynth.Llm.Providers;

/// <summary>
/// The parameters each model refused during this process, per provider, base URL and model, so a refused
/// parameter costs one extra request per process and not one per call. Thread-safe.
/// </summary>
internal sealed class RejectedParameters
{
    private readonly ConcurrentDictionary<string, RejectedParameter> byModel = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The memory every client <see cref="ProviderClientFactory"/> builds shares.</summary>
    public static RejectedParameters Shared { get; } = new();

    /// <summary>What <paramref name="model"/> refused so far.</summary>
    public RejectedParameter Get(ProviderSettings settings, string model) =>
        byModel.TryGetValue(Key(settings, model), out var known) ? known : RejectedParameter.None;

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
        return added;
    }

    /// <summary>What to leave out for <paramref name="model"/>: the catalog's known refusals plus the learned ones.</summary>
    public RejectedParameter For(ProviderSettings settings, string model)
    {
        var info = ModelCatalog.Default.Lookup(settings.Provider, model);
        var known = (info.RejectsTemperature ? RejectedParameter.Temperature : RejectedParameter.None)
            | (info.RejectsPrefill ? RejectedParameter.Prefill : RejectedParameter.None);
        return known | Get(settings, model);
    }

    private static string Key(ProviderSettings settings, string model) =>
        $"{ProviderIds.Normalize(settings.Provider) ?? settings.Provider}|{settings.EffectiveBaseUrl.AbsoluteUri.TrimEnd('/')}|{model.Trim()}";
}
