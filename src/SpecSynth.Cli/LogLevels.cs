using Microsoft.Extensions.Logging;

namespace SpecSynth.Cli;

/// <summary>The log level of a CLI run: <c>--log-level LEVEL</c>, else <c>--verbose</c> (debug), else
/// <c>SPECSYNTH_LOG_LEVEL</c>, else none (no log output at all).</summary>
internal static class LogLevels
{
    /// <summary>The variable read when neither flag is given.</summary>
    public const string Variable = "SPECSYNTH_LOG_LEVEL";

    /// <summary>The accepted names, as <c>--help</c> and the error list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>The level asked for, or an error message naming where the bad value came from.</summary>
    public static (LogLevel Level, string? Error) Resolve(string? flag, bool verbose, Func<string, string?> getEnv)
    {
        var (value, source) = flag is not null ? (flag, "--log-level")
            : verbose ? ("debug", "--verbose")
            : (getEnv(Variable), Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return (LogLevel.None, null);
        }
        var index = Names.ToList().FindIndex(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return index < 0
            ? (LogLevel.None, $"{source}: unknown log level '{value}' (use one of {string.Join(", ", Names)})")
            : ((LogLevel)index, null);
    }
}
