using System.Globalization;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[context]</c> (<c>budget</c>).</summary>
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
                _ => throw reader.Error("context", key, $"unknown key 'context.{key}' (known: budget)"),
            };
        }
        return config with { Context = options };
    }
}
