using System.Globalization;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[edits]</c> (<c>mode</c>, <c>threshold_lines</c>).</summary>
internal sealed class TomlEditsReader(TomlConfigReader reader)
{
    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Edits;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "mode" => options with
                {
                    Mode = value is string s && EditOptions.Modes.Contains(s.Trim().ToLowerInvariant())
                        ? s.Trim().ToLowerInvariant()
                        : throw reader.Error("edits", key, "'edits.mode' must be \"auto\", \"whole\" or \"edit\""),
                },
                "threshold_lines" => options with
                {
                    ThresholdLines = value is long n && n >= EditOptions.MinThresholdLines && n <= int.MaxValue
                        ? (int)n
                        : throw reader.Error("edits", key, string.Create(CultureInfo.InvariantCulture,
                            $"'edits.threshold_lines' must be a whole number of lines, at least {EditOptions.MinThresholdLines}")),
                },
                _ => throw reader.Error("edits", key, $"unknown key 'edits.{key}' (known: mode, threshold_lines)"),
            };
        }
        return config with { Edits = options };
    }
}
