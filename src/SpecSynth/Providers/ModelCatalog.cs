using System.Text.RegularExpressions;

namespace SpecSynth.Providers;

/// <summary>
/// Limits, prices and quirks of known models. <see cref="Lookup"/> matches exact ids, then dated or
/// suffixed ids by prefix (<c>claude-haiku-4-5-20251001</c>, <c>gpt-4o-2024-08-06</c>); anything else
/// gets conservative defaults with <see cref="ModelInfo.IsKnown"/> = <c>false</c>.
/// </summary>
internal sealed partial class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> byKey;

    /// <summary>The last answer of <see cref="Lookup"/>: a run asks for the same model on every request (parameter memory,
    /// output cap, budget), so that is answered without the key string or the dictionary. One immutable object, swapped
    /// whole, so a reader on another thread sees a matching question and answer or the previous ones.</summary>
    private LastLookup? last;

    /// <summary>Creates a catalog over the given models.</summary>
    public ModelCatalog(IEnumerable<ModelInfo> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        byKey = models.ToDictionary(m => Key(m.Provider, m.Id), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The built-in catalog (prices as of November 2026; estimates). Immutable data: a host that needs other prices
    /// builds its own catalog and passes it with its run services.</summary>
    public static ModelCatalog BuiltIn { get; } = new(ModelCatalogData.All());

    /// <summary>This catalog with <paramref name="overrides"/> (<c>[models."ID"]</c>) applied: a known model's values replaced
    /// where given, a model it does not know added (for its provider, or for Claude and OpenAI when none is named) with the
    /// conservative guess for what is not given. Returns this catalog when there is nothing to apply.</summary>
    public ModelCatalog With(IReadOnlyDictionary<string, Config.ModelOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Count == 0)
        {
            return this;
        }
        var models = new Dictionary<string, ModelInfo>(byKey, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, o) in overrides)
        {
            var providers = o.Provider is { } p ? [p] : new[] { ProviderIds.Claude, ProviderIds.OpenAI, ProviderIds.Azure, ProviderIds.Ollama }
                .Where(p => byKey.ContainsKey(Key(p, id)) || p != ProviderIds.Ollama).ToArray();
            foreach (var provider in providers)
            {
                var baseInfo = Lookup(provider, id) with { Id = id, Provider = provider };
                models[Key(provider, id)] = baseInfo with
                {
                    ContextWindow = o.ContextWindow ?? baseInfo.ContextWindow,
                    MaxOutputTokens = o.MaxOutputTokens ?? baseInfo.MaxOutputTokens,
                    InputPerMillion = o.InputPerMillion ?? baseInfo.InputPerMillion,
                    OutputPerMillion = o.OutputPerMillion ?? baseInfo.OutputPerMillion,
                    CacheWritePerMillion = o.CacheWritePerMillion ?? baseInfo.CacheWritePerMillion,
                    CacheReadPerMillion = o.CacheReadPerMillion ?? baseInfo.CacheReadPerMillion,
                    IsKnown = true,
                    FromConfig = true,
                };
            }
        }
        return new ModelCatalog(models.Values);
    }

    /// <summary>All models in the catalog.</summary>
    public IReadOnlyCollection<ModelInfo> Models => byKey.Values;

    /// <summary>The model used when none is configured.</summary>
    public static string DefaultModel(string provider) => ProviderIds.Normalize(provider) switch
    {
        ProviderIds.Claude => "claude-sonnet-4-5",
        ProviderIds.OpenAI or ProviderIds.Azure => "gpt-4.1",
        _ => "qwen2.5-coder",
    };

    /// <summary>Finds a model, by exact id or by the longest catalog id that is a prefix followed by <c>-</c> or <c>:</c>.</summary>
    public ModelInfo Lookup(string provider, string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (last is { } seen && string.Equals(seen.Provider, provider, StringComparison.Ordinal)
            && string.Equals(seen.Model, model, StringComparison.Ordinal))
        {
            return seen.Info;
        }
        var info = Find(provider, model);
        last = new LastLookup(provider, model, info);
        return info;
    }

    private ModelInfo Find(string provider, string model)
    {
        var id = ProviderIds.Normalize(provider) ?? provider;
        var name = model.Trim();
        if (byKey.TryGetValue(Key(id, name), out var exact))
        {
            return exact;
        }
        var prefix = byKey.Values
            .Where(m => m.Provider == id && name.Length > m.Id.Length && name.StartsWith(m.Id, StringComparison.OrdinalIgnoreCase)
                && IsVersionSuffix(name[m.Id.Length..]))
            .MaxBy(m => m.Id.Length);
        return prefix ?? Unknown(id, name);
    }

    /// <summary>
    /// The warning to show when <paramref name="model"/> is not in the catalog:
    /// "unknown model X: using conservative defaults (context N, max output M)"; <c>null</c> for a known model
    /// and for
    /// providers other than Claude and OpenAI (Ollama's local models are never in the catalog; their limits come
    /// from the server's <c>/api/show</c>).
    /// </summary>
    public string? UnknownModelWarning(string provider, string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (ProviderIds.Normalize(provider) is not (ProviderIds.Claude or ProviderIds.OpenAI or ProviderIds.Azure))
        {
            return null;
        }
        var info = Lookup(provider, model);
        return info.IsKnown ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"unknown model {model.Trim()}: using conservative defaults (context {info.ContextWindow}, max output {info.MaxOutputTokens})");
    }

    /// <summary>
    /// The output cap to plan and send with: the configured <c>max_tokens</c>, lowered to the model's output maximum for
    /// Claude and OpenAI models (a model not in the catalog gets its conservative default, the number its warning names).
    /// Ollama and the mock keep the configured value.
    /// </summary>
    public int PlannedOutputCap(string provider, string model, int configured)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (ProviderIds.Normalize(provider) is not (ProviderIds.Claude or ProviderIds.OpenAI or ProviderIds.Azure))
        {
            return configured;
        }
        var max = Lookup(provider, model).MaxOutputTokens;
        return max > 0 && max < configured ? max : configured;
    }

    private static bool IsVersionSuffix(string rest) =>
        rest == "-latest" || DatedSuffix().IsMatch(rest);

    [GeneratedRegex(@"^-(\d{8}|\d{4}-\d{2}-\d{2}|\d{4})(-.*)?$")]
    private static partial Regex DatedSuffix();

    [GeneratedRegex(@"^claude-(?:[a-z]+-)?(\d+)(?:[-.](\d+))?")]
    private static partial Regex ClaudeVersion();

    private static ModelInfo Unknown(string provider, string model)
    {
        if (provider == ProviderIds.Claude)
        {
            var version = ClaudeVersion().Match(model);
            var major = version.Success ? int.Parse(version.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var minor = version.Groups[2].Success ? int.Parse(version.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var newer = major >= 5 || (major == 4 && minor >= 7);
            return Guess(provider, model, 200_000, 8_192, 15m, 75m, 18.75m, 1.5m) with
            {
                RejectsTemperature = newer,
                RejectsPrefill = newer || (major == 4 && minor >= 6),
            };
        }
        if (provider is ProviderIds.OpenAI or ProviderIds.Azure)
        {
            // An Azure deployment name says nothing about its model: the OpenAI guess, unless [models."DEPLOYMENT"] says more.
            var reasoning = model.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase) || OSeries().IsMatch(model);
            return Guess(provider, model, 128_000, 8_192, 15m, 60m, 15m, 7.5m) with
            {
                RejectsTemperature = reasoning,
                UsesMaxCompletionTokens = reasoning,
            };
        }
        return Guess(provider, model, 8_192, 4_096, 0m, 0m, 0m, 0m);
    }

    [GeneratedRegex(@"^o\d")]
    private static partial Regex OSeries();

    private static ModelInfo Guess(string provider, string model, int context, int maxOut,
        decimal input, decimal output, decimal write, decimal read) => new()
        {
            Id = model,
            Provider = provider,
            ContextWindow = context,
            MaxOutputTokens = maxOut,
            InputPerMillion = input,
            OutputPerMillion = output,
            CacheWritePerMillion = write,
            CacheReadPerMillion = read,
            IsKnown = false,
        };

    private static string Key(string provider, string id) => provider + "/" + id;

    private sealed record LastLookup(string Provider, string Model, ModelInfo Info);
}
