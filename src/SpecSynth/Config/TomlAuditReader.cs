using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[audit]</c> (<c>include_prompts</c>).</summary>
internal sealed class TomlAuditReader(TomlConfigReader reader)
{
    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Audit;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "include_prompts" => options with
                {
                    IncludePrompts = value is bool b ? b : throw reader.Error("audit", key, "'audit.include_prompts' must be true or false"),
                },
                _ => throw reader.Error("audit", key, $"unknown key 'audit.{key}' (known: include_prompts)"),
            };
        }
        return config with { Audit = options };
    }
}
