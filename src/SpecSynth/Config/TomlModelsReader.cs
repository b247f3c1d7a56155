using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads the <c>[models."ID"]</c> sections: limits and prices overriding or adding to the built-in catalog.</summary>
internal sealed class TomlModelsReader(TomlConfigReader reader)
{
    private static readonly string[] Keys = ["provider", "context", "max_output", "input_usd_per_mtok", "output_usd_per_mtok",
        "cache_write_usd_per_mtok", "cache_read_usd_per_mtok"];

    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable models)
    {
        var all = new Dictionary<string, ModelOverride>(config.Models, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, value) in models)
        {
            if (value is not TomlTable section)
            {
                throw reader.Error("models", id, $"'models.{id}' must be a table: [models.\"{id}\"] with {string.Join(", ", Keys)}");
            }
            var table = $"models.\"{id}\"";
            var entry = all.TryGetValue(id, out var existing) ? existing : new ModelOverride();
            foreach (var (key, v) in section)
            {
                entry = key switch
                {
                    "provider" => entry with { Provider = Provider(v, table, key) },
                    "context" => entry with { ContextWindow = reader.IntInRange(v, table, key, 1_024, 100_000_000) },
                    "max_output" => entry with { MaxOutputTokens = reader.IntInRange(v, table, key, 1, 10_000_000) },
                    "input_usd_per_mtok" => entry with { InputPerMillion = Price(v, table, key) },
                    "output_usd_per_mtok" => entry with { OutputPerMillion = Price(v, table, key) },
                    "cache_write_usd_per_mtok" => entry with { CacheWritePerMillion = Price(v, table, key) },
                    "cache_read_usd_per_mtok" => entry with { CacheReadPerMillion = Price(v, table, key) },
                    _ => throw reader.Error(table, key, $"unknown key '{table}.{key}' (known: {string.Join(", ", Keys)})"),
                };
            }
            all[id] = entry;
        }
        return config with { Models = all };
    }

    private decimal Price(object value, string table, string key) => (decimal)reader.NumberInRange(value, table, key, 0, 10_000, " USD per million tokens");

    private string Provider(object value, string table, string key)
    {
        var name = value as string;
        return Providers.ProviderIds.Normalize(name) is { } id && id != "mock"
            ? id
            : throw reader.Error(table, key, $"'{table}.{key}' must be claude, openai or ollama");
    }
}
