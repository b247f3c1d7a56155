using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

public sealed class TokenCountersTests
{
    [Fact]
    public void OpenAIModels_GetTheExactCounter()
    {
        var counter = TokenCounters.For("openai", "gpt-4.1", stateDir: null);
        Assert.IsType<TiktokenCounter>(counter);
        Assert.True(counter.IsExact);
    }

    [Theory]
    [InlineData("claude", "claude-sonnet-4-5")]
    [InlineData("anthropic", "claude-haiku-4-5")]
    [InlineData("ollama", "qwen2.5-coder:7b")]
    [InlineData("mock", "mock")]
    [InlineData("openai", "qwen2.5-coder-32b-instruct")] // an OpenAI-compatible server's own model
    public void OtherModels_GetACalibratedEstimate(string provider, string model)
    {
        var counter = TokenCounters.For(provider, model, stateDir: null);
        var estimator = Assert.IsType<CalibratedEstimator>(counter);
        Assert.False(counter.IsExact);
        Assert.EndsWith(":" + model, estimator.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void AnthropicIsAnAliasOfClaude_ForTheCalibrationKey()
    {
        var a = (CalibratedEstimator)TokenCounters.For("anthropic", "claude-sonnet-4-5", null);
        var b = (CalibratedEstimator)TokenCounters.For("claude", "claude-sonnet-4-5", null);
        Assert.Equal(b.Key, a.Key);
    }

    [Fact]
    public void CalibrationPersistsInTheStateFolder()
    {
        using var state = new TempDir();
        var first = (CalibratedEstimator)TokenCounters.For("claude", "claude-sonnet-4-5", state.Path);
        Assert.True(first.Observe(1000, 1500));
        Assert.True(File.Exists(Path.Combine(state.Path, "calibration.db")));
        var second = (CalibratedEstimator)TokenCounters.For("claude", "claude-sonnet-4-5", state.Path);
        Assert.Equal(first.Factor, second.Factor, 6);
        Assert.True(second.Factor > 1.0);
    }
}
