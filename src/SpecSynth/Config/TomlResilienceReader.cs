using Tomlyn.Model;
using SpecSynth.Llm.Resilience;

namespace SpecSynth.Config;

/// <summary>Reads <c>[retry]</c> and <c>[circuit_breaker]</c>; durations are seconds (integer or decimal).</summary>
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
                "max_attempts" => options with { Retry = options.Retry with { MaxAttempts = reader.PositiveInt(value, "retry", key) } },
                "initial_delay" => options with { Retry = options.Retry with { InitialDelay = Seconds(value, "retry", key) } },
                "max_delay" => options with { Retry = options.Retry with { MaxDelay = Seconds(value, "retry", key) } },
                "exponential_base" => options with { Retry = options.Retry with { ExponentialBase = Number(value, "retry", key, 1) } },
                "max_server_delay" => options with { Retry = options.Retry with { MaxServerDelay = Seconds(value, "retry", key) } },
                "stream_idle_timeout" => options with { StreamIdleTimeout = Seconds(value, "retry", key) },
                "attempt_timeout" => options with { Retry = options.Retry with { AttemptTimeout = AttemptTimeout(value, key) } },
                "continuation_rounds" => options with { Continuation = options.Continuation with { MaxRounds = NonNegativeInt(value, "retry", key) } },
                _ => throw reader.Error("retry", key, $"unknown key 'retry.{key}' (known: {string.Join(", ", RetryKeys)})"),
            };
        }
        return options;
    }

    public ResilienceOptions ApplyBreaker(ResilienceOptions options, TomlTable table)
    {
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "failure_threshold" => options with { CircuitBreaker = options.CircuitBreaker with { FailureThreshold = reader.PositiveInt(value, "circuit_breaker", key) } },
                "break_duration" => options with { CircuitBreaker = options.CircuitBreaker with { BreakDuration = Seconds(value, "circuit_breaker", key) } },
                _ => throw reader.Error("circuit_breaker", key, $"unknown key 'circuit_breaker.{key}' (known: failure_threshold, break_duration)"),
            };
        }
        return options;
    }

    private TimeSpan AttemptTimeout(object value, string key)
    {
        var max = RetryOptions.MaxAttemptTimeout.TotalSeconds;
        double? n = value switch { double d => d, long l => l, _ => null };
        return n is { } x && x > 0 && x <= max
            ? TimeSpan.FromSeconds(x)
            : throw reader.Error("retry", key, $"'retry.{key}' must be a number of seconds more than 0 and at most {max:0}");
    }

    private TimeSpan Seconds(object value, string table, string key) => TimeSpan.FromSeconds(Number(value, table, key, 0));

    private double Number(object value, string table, string key, double min)
    {
        double? n = value switch { double d => d, long l => l, _ => null };
        return n is { } x && x >= min && double.IsFinite(x) ? x : throw reader.Error(table, key, $"'{table}.{key}' must be a number of at least {min}");
    }

    private int NonNegativeInt(object value, string table, string key) =>
        value is long n && n is >= 0 and <= 100 ? (int)n : throw reader.Error(table, key, $"'{table}.{key}' must be an integer from 0 to 100");
}
