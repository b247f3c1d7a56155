using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[batch]</c> (<c>enabled</c>, <c>min_specs</c>, <c>poll_seconds</c>).</summary>
internal sealed class TomlBatchReader(TomlConfigReader reader)
{
    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Batch;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "enabled" => options with { Enabled = value is bool b ? b : throw reader.Error("batch", key, "'batch.enabled' must be true or false") },
                "min_specs" => options with
                {
                    MinSpecs = value is long n && n is >= 1 and <= 100_000
                        ? (int)n
                        : throw reader.Error("batch", key, "'batch.min_specs' must be a whole number from 1 to 100000"),
                },
                "poll_seconds" => options with { PollInterval = Seconds(value, key) },
                _ => throw reader.Error("batch", key, $"unknown key 'batch.{key}' (known: enabled, min_specs, poll_seconds)"),
            };
        }
        return config with { Batch = options };
    }

    private TimeSpan Seconds(object value, string key)
    {
        double? n = value switch { double d => d, long l => l, _ => null };
        return n is { } s && s >= 0.01 && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw reader.Error("batch", key, "'batch.poll_seconds' must be a number of seconds from 0.01 to 3600");
    }
}
