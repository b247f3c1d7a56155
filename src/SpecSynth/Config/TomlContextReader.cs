using System.Globalization;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[context]</c> (<c>budget</c>, <c>index</c>, <c>index_max_mb</c>).</summary>
internal sealed class TomlContextReader(TomlConfigReader reader)
{
    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Context;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "budget" => options with
                {
                    Budget = value is long n && n >= ContextOptions.MinBudget && n <= int.MaxValue
                        ? (int)n
                        : throw reader.Error("context", key, string.Create(CultureInfo.InvariantCulture,
                            $"'context.budget' must be a whole number of tokens, at least {ContextOptions.MinBudget}")),
                },
                "index" => options with
                {
                    Index = value is bool on ? on : throw reader.Error("context", key, "'context.index' must be true or false"),
                },
                "index_max_mb" => options with
                {
                    IndexMaxMb = value is long mb && mb >= 1 && mb <= 1024 * 1024
                        ? (int)mb
                        : throw reader.Error("context", key, "'context.index_max_mb' must be a whole number of MiB, at least 1"),
                },
                _ => throw reader.Error("context", key, $"unknown key 'context.{key}' (known: budget, index, index_max_mb)"),
            };
        }
        return config with { Context = options };
    }
}
