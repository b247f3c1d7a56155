using System.Globalization;
using Tomlyn.Model;
using SpecSynth.Middleware;

namespace SpecSynth.Config;

/// <summary>Reads <c>[retry]</c> and <c>[circuit_breaker]</c>; durations are seconds (integer or decimal). Every key has a range
/// (README, Resilience), checked here so a bad value names the file, line and key before anything is sent.</summary>
internal sealed class TomlResilienceReader(TomlConfigReader reader)
{
    private static readonly string[] RetryKeys = ["max_attempts", "initial_delay", "max_delay", "exponential_base", "max_server_delay",
        "stream_idle_timeout", "attempt_timeout", "continuation_rounds"];

    public ResilienceOptions ApplyRetry(ResilienceOptions options, TomlTable table)
    {
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "max_attempts" => options with { Retry = options.Retry with { MaxAttempts = reader.IntInRange(value, "retry", key, 1, 100) } },
                "initial_delay" => options with { Retry = options.Retry with { InitialDelay = Seconds(value, "retry", key, 0, Hour) } },
                "max_delay" => options with { Retry = options.Retry with { MaxDelay = Seconds(value, "retry", key, 0, Hour) } },
                "exponential_base" => options with { Retry = options.Retry with { ExponentialBase = reader.NumberInRange(value, "retry", key, 1, 10) } },
                "max_server_delay" => options with { Retry = options.Retry with { MaxServerDelay = Seconds(value, "retry", key, 0, Day) } },
                "stream_idle_timeout" => options with { StreamIdleTimeout = Seconds(value, "retry", key, MinPositive, Hour) },
                "attempt_timeout" => options with { Retry = options.Retry with { AttemptTimeout = Seconds(value, "retry", key, MinPositive, RetryOptions.MaxAttemptTimeout.TotalSeconds) } },
                "continuation_rounds" => options with { Continuation = options.Continuation with { MaxRounds = reader.IntInRange(value, "retry", key, 0, 100) } },
                _ => throw reader.Error("retry", key, $"unknown key 'retry.{key}' (known: {string.Join(", ", RetryKeys)})"),
            };
        }
        if (options.Retry.InitialDelay > options.Retry.MaxDelay)
        {
            var (key, rule) = table.ContainsKey("initial_delay")
                ? ("initial_delay", "'retry.initial_delay' must not be longer than 'retry.max_delay'")
                : ("max_delay", "'retry.max_delay' must not be shorter than 'retry.initial_delay'");
            throw reader.Error("retry", key, rule + string.Create(CultureInfo.InvariantCulture,
                $" ({options.Retry.InitialDelay.TotalSeconds:0.###} s > {options.Retry.MaxDelay.TotalSeconds:0.###} s)"));
        }
        return options;
    }

    public ResilienceOptions ApplyBreaker(ResilienceOptions options, TomlTable table)
    {
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "failure_threshold" => options with { CircuitBreaker = options.CircuitBreaker with { FailureThreshold = reader.IntInRange(value, "circuit_breaker", key, 1, 1000) } },
                "break_duration" => options with { CircuitBreaker = options.CircuitBreaker with { BreakDuration = Seconds(value, "circuit_breaker", key, MinPositive, Day) } },
                _ => throw reader.Error("circuit_breaker", key, $"unknown key 'circuit_breaker.{key}' (known: failure_threshold, break_duration)"),
            };
        }
        return options;
    }

    /// <summary>A lower bound meaning "above 0": the smallest duration that is still positive (1 ms).</summary>
    private const double MinPositive = 0.001;
    private const double Hour = 3600;
    private const double Day = 86_400;

    private TimeSpan Seconds(object value, string table, string key, double min, double max) =>
        TimeSpan.FromSeconds(reader.NumberInRange(value, table, key, min, max, unit: " seconds"));
}
