using SpecSynth.Config;

namespace SpecSynth.Tests.Config;

/// <summary>Every numeric key of <c>specsynth.toml</c> has a range; a value outside it (or of the wrong type) is an
/// invalid-input error naming the file, the line and the key, never an overflow or a silent acceptance.</summary>
public sealed class ConfigRangeTests
{
    [Theory]
    [InlineData("retry", "max_delay", "1e12")]
    [InlineData("retry", "initial_delay", "1e12")]
    [InlineData("retry", "max_server_delay", "1e12")]
    [InlineData("retry", "stream_idle_timeout", "1e12")]
    [InlineData("retry", "stream_idle_timeout", "0")]
    [InlineData("retry", "max_attempts", "9223372036854775807")]
    [InlineData("retry", "exponential_base", "inf")]
    [InlineData("retry", "initial_delay", "nan")]
    [InlineData("retry", "initial_delay", "120")]
    [InlineData("circuit_breaker", "break_duration", "1e300")]
    [InlineData("circuit_breaker", "failure_threshold", "0")]
    [InlineData("budget", "daily_usd", "1e308")]
    [InlineData("budget", "monthly_usd", "1e29")]
    [InlineData("budget", "monthly_usd", "-inf")]
    [InlineData("budget", "daily_usd", "1e-300")]
    [InlineData("budget", "min_output_tokens", "2147483647")]
    [InlineData("llm.claude", "max_tokens", "2147483647")]
    [InlineData("llm.claude", "temperature", "\"hot\"")]
    [InlineData("llm.openai", "requests_per_minute", "-5")]
    [InlineData("routing", "small_spec_tokens", "1.5")]
    public void OutOfRange_IsInvalidInput_NamingFileLineAndKey(string table, string key, string value)
    {
        var toml = $"# a comment\n[{table}]\n{key} = {value}\n";

        var ex = Assert.Throws<SpecSynthException>(() => ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", toml));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.StartsWith("/p/specsynth.toml:3: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{table}.{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Matches(@"must (be|not be longer)", ex.Message);
    }

    [Fact]
    public void ValuesInsideTheRanges_AreRead()
    {
        const string toml = """
            [retry]
            max_attempts = 100
            initial_delay = 0
            max_delay = 3600
            exponential_base = 10
            max_server_delay = 86400
            stream_idle_timeout = 0.5
            [circuit_breaker]
            break_duration = 86400
            [budget]
            daily_usd = 1000000
            monthly_usd = 0.01
            """;

        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", toml);

        Assert.Equal(TimeSpan.FromHours(1), config.Resilience.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Resilience.StreamIdleTimeout);
        Assert.Equal(1_000_000m, config.Budget.DailyUsd);
        Assert.Equal(0.01m, config.Budget.MonthlyUsd);
    }
}
