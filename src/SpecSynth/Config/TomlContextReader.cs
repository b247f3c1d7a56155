using System.Globalization;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[context]</c> (<c>budget</c>, <c>index</c>, <c>index_build</c>, <c>index_max_mb</c>, <c>max_files</c>).</summary>
internal sealed class TomlContextReader(TomlConfigReader reader)
{
    /// <summary>The largest <c>max_files</c> accepted: ten million files.</summary>
    private const long MaxFilesLimit = 10_000_000;

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
                "index_build" => options with
                {
                    IndexBuild = value is string build && ContextOptions.IndexBuilds.Contains(build)
                        ? build
                        : throw reader.Error("context", key, "'context.index_build' must be \"background\" or \"inline\""),
                },
                "index_max_mb" => options with
                {
                    IndexMaxMb = value is long mb && mb >= 1 && mb <= 1024 * 1024
                        ? (int)mb
                        : throw reader.Error("context", key, "'context.index_max_mb' must be a whole number of MiB, at least 1"),
                },
                "max_files" => options with
                {
                    MaxFiles = value is long files && files >= 1 && files <= MaxFilesLimit
                        ? (int)files
                        : throw reader.Error("context", key, string.Create(CultureInfo.InvariantCulture,
                            $"'context.max_files' must be a whole number of files, from 1 to {MaxFilesLimit}")),
                },
                _ => throw reader.Error("context", key, $"unknown key 'context.{key}' (known: budget, index, index_build, index_max_mb, max_files)"),
            };
        }
        return config with { Context = options };
    }
}
