using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

public sealed class CalibratedEstimatorTests
{
    private const string Code = """
        public sealed class TodoStore(string path)
        {
            public IReadOnlyList<Todo> Load() => File.Exists(path) ? JsonSerializer.Deserialize<List<Todo>>(File.ReadAllText(path)) ?? [] : [];
            public void Save(IEnumerable<Todo> items) => File.WriteAllText(path, JsonSerializer.Serialize(items.ToList()));
        }
        """;

    private const string Prose = "The command adds a task to the list and prints the number it was given. " +
        "Tasks are kept in a file in the home folder, so they survive between runs of the program.";

    [Fact]
    public void Estimate_UsesTheContentRatio_AndAddsTheMargin()
    {
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5");
        Assert.False(estimator.IsExact);
        Assert.Equal(0, estimator.Count(""));
        Assert.Equal((int)Math.Ceiling(Code.Length / 3.5 * 1.10), estimator.Count(Code));
        Assert.Equal((int)Math.Ceiling(Prose.Length / 4.0 * 1.10), estimator.Count(Prose));
    }

    [Fact]
    public void NonAsciiCharacters_CountAsWholeTokens()
    {
        var estimator = new CalibratedEstimator("ollama", "qwen2.5-coder:7b", margin: 0);
        Assert.Equal(8, estimator.Count("中文字符中文字符"));
        Assert.Equal(2, estimator.Count("🎉🚀")); // a surrogate pair is one character, not two
    }

    [Fact]
    public void NeverUnderCountsTheCorrectedEstimate()
    {
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5");
        estimator.Observe(1000, 1400);
        foreach (var text in new[] { Code, Prose, "x", "a b", string.Concat(Enumerable.Repeat(Code, 50)) })
        {
            var corrected = CalibratedEstimator.Raw(text) * estimator.Factor;
            Assert.True(estimator.Count(text) >= corrected, $"{estimator.Count(text)} < {corrected} for '{text[..Math.Min(20, text.Length)]}'");
            Assert.True(estimator.Count(text) >= Math.Ceiling(corrected * 1.10) - 0.0001);
        }
    }

    [Fact]
    public void Calibration_MovesTheEstimateTowardReportedUsage()
    {
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5");
        var text = string.Concat(Enumerable.Repeat(Code, 20));
        var reported = 2 * CalibratedEstimator.Raw(text); // the model's tokenizer needs twice our uncorrected guess
        var gaps = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var estimate = estimator.Count(text);
            gaps.Add(Math.Abs(estimate - (reported * 1.10)));
            Assert.True(estimator.Observe(estimate, (long)reported));
        }
        // Each observation closes part of the gap, and after a dozen replies the estimate is within 2 % of reported + margin.
        for (var i = 1; i < gaps.Count; i++)
        {
            Assert.True(gaps[i] < gaps[i - 1], $"gap {i}: {gaps[i]} !< {gaps[i - 1]}");
        }
        Assert.InRange(estimator.Factor, 1.96, 2.0);
        Assert.True(estimator.Count(text) >= reported, "the calibrated estimate must not fall under the reported usage");
    }

    [Fact]
    public void Calibration_AlsoMovesDown_WhenTheEstimateWasTooHigh()
    {
        var estimator = new CalibratedEstimator("ollama", "llama3.1:8b");
        var text = string.Concat(Enumerable.Repeat(Prose, 30));
        for (var i = 0; i < 20; i++)
        {
            var estimate = estimator.Count(text);
            estimator.Observe(estimate, (long)Math.Round(CalibratedEstimator.Raw(text) * 0.8));
        }
        Assert.InRange(estimator.Factor, 0.79, 0.82);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, 0)]
    [InlineData(-5, 100)]
    [InlineData(100, -1)]
    [InlineData(100, 10_000)] // 100x: a usage for another request, or a bug
    [InlineData(10_000, 100)]
    public void BadOrZeroUsage_IsIgnored(long estimated, long reported)
    {
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5");
        Assert.False(estimator.Observe(estimated, reported));
        Assert.Equal(1.0, estimator.Factor);
    }

    [Fact]
    public void Factor_IsClamped()
    {
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5", margin: 0);
        for (var i = 0; i < 100; i++)
        {
            estimator.Observe(estimator.Count(Prose), estimator.Count(Prose) * 5);
        }
        Assert.Equal(CalibratedEstimator.MaxFactor, estimator.Factor);
    }

    [Fact]
    public void Calibration_PersistsAcrossInstances_PerModel()
    {
        using var state = new TempDir();
        var store = CalibrationStore.InStateDir(state.Path);
        var sonnet = new CalibratedEstimator("claude", "claude-sonnet-4-5", store);
        sonnet.Observe(1000, 1300);
        var factor = sonnet.Factor;

        var again = new CalibratedEstimator("claude", "claude-sonnet-4-5", CalibrationStore.InStateDir(state.Path));
        var haiku = new CalibratedEstimator("claude", "claude-haiku-4-5", CalibrationStore.InStateDir(state.Path));
        var ollama = new CalibratedEstimator("ollama", "claude-sonnet-4-5", CalibrationStore.InStateDir(state.Path));

        Assert.True(factor > 1.0);
        Assert.Equal(factor, again.Factor, 9);
        Assert.Equal(again.Count(Code), sonnet.Count(Code));
        Assert.Equal(1.0, haiku.Factor);
        Assert.Equal(1.0, ollama.Factor);
    }

    [Fact]
    public async Task ConcurrentWriters_LoseNoUpdate()
    {
        // Many estimators (as separate processes would) observe at once: every update lands, none is torn or lost.
        using var state = new TempDir();
        const int Writers = 8, Each = 5;
        var tasks = Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5", CalibrationStore.InStateDir(state.Path), margin: 0);
            for (var i = 0; i < Each; i++)
            {
                Assert.True(estimator.Observe(1000, 1000));
            }
        }));
        await Task.WhenAll(tasks);

        using var connection = SpecSynth.State.SqliteDatabase.Open(Path.Combine(state.Path, "calibration.db"), "");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT samples FROM token_calibration WHERE model = 'claude:claude-sonnet-4-5'";
        Assert.Equal((long)(Writers * Each), (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void AnUnusableStateFile_DoesNotBreakCounting()
    {
        using var state = new TempDir();
        File.WriteAllText(Path.Combine(state.Path, "calibration.db"), "this is not a database, it is a text file of some length ....");
        var estimator = new CalibratedEstimator("claude", "claude-sonnet-4-5", CalibrationStore.InStateDir(state.Path));
        Assert.Equal(1.0, estimator.Factor);
        Assert.True(estimator.Observe(1000, 1500));
        Assert.True(estimator.Factor > 1.0);
    }
}
