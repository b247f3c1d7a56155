using System.Text.Json;
using SpecSynth.Tests.Cli;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary><c>specsynth usage</c> over a ledger with known rows: totals per group and overall, <c>--since</c>,
/// <c>--project</c>, and bad values.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public UsageCommandTests()
    {
        _cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
        using var ledger = new UsageLedger(Path.Combine(_dir.Combine("state"), UsageLedger.FileName));
        Append(ledger, Row(_now.AddDays(-10), "claude", "claude-sonnet-4-5", "generate", "a.md", "/p1", new(100, 50, 1000, 0), 0.5m));
        Append(ledger, Row(_now.AddHours(-30), "claude", "claude-sonnet-4-5", "repair", "a.md", "/p1", new(10, 5, 0, 1000), 0.25m));
        Append(ledger, Row(_now.AddHours(-2), "openai", "gpt-4.1", "explain", null, "/p2", new(7, 3), 0.125m));
        Append(ledger, Row(_now.AddHours(-1), "openai", "gpt-4.1", "explain", null, "/p2", TokenUsage.Zero, 0m) with { CacheHit = true });
        Append(ledger, Row(_now.AddMinutes(-5), "claude", "claude-sonnet-4-5", "generate", "b.md", "/p1", TokenUsage.Zero, 0m) with { Outcome = "auth" });
        Append(ledger, Row(_now.AddMinutes(-4), "claude", "claude-sonnet-4-5", "generate", "b.md", "/p1", TokenUsage.Zero, 0m) with { Outcome = "cancelled" });
    }

    public void Dispose() => _dir.Dispose();

    private static void Append(UsageLedger ledger, UsageRecord row) => ledger.AppendAsync(row).GetAwaiter().GetResult();

    [Fact]
    public async Task ByProvider_GivesEachProvidersTotals_AndTheOverallTotal()
    {
        var result = await _cli.RunAsync("usage", "--by", "provider", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var groups = doc.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["claude", "openai"], groups.Select(g => g.GetProperty("key").GetString()));
        var claude = groups[0];
        Assert.Equal(4, claude.GetProperty("requests").GetInt64());
        Assert.Equal(110, claude.GetProperty("input_tokens").GetInt64());
        Assert.Equal(55, claude.GetProperty("output_tokens").GetInt64());
        Assert.Equal(1000, claude.GetProperty("cache_write_tokens").GetInt64());
        Assert.Equal(1000, claude.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(0.75m, claude.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, claude.GetProperty("errors").GetInt64());
        Assert.Equal(1, claude.GetProperty("cancelled").GetInt64());
        Assert.Equal(1, groups[1].GetProperty("cache_hits").GetInt64());
        var total = doc.RootElement.GetProperty("total");
        Assert.Equal(6, total.GetProperty("requests").GetInt64());
        Assert.Equal(0.875m, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, total.GetProperty("cache_hits").GetInt64());
        Assert.False(total.TryGetProperty("key", out _));
    }

    [Theory]
    [InlineData("model", new[] { "claude-sonnet-4-5", "gpt-4.1" }, new[] { 4L, 2L })]
    [InlineData("spec", new[] { "(none)", "a.md", "b.md" }, new[] { 2L, 2L, 2L })]
    [InlineData("operation", new[] { "explain", "generate", "repair" }, new[] { 2L, 3L, 1L })]
    public async Task EveryGrouping_SplitsTheRows(string by, string[] keys, long[] requests)
    {
        var result = await _cli.RunAsync("usage", "--by", by, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var groups = doc.RootElement.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(keys, groups.Select(g => g.GetProperty("key").GetString()));
        Assert.Equal(requests, groups.Select(g => g.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task ByDay_GroupsByUtcDay()
    {
        var result = await _cli.RunAsync("usage", "--by", "day", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var days = doc.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ToList();
        Assert.Contains(_now.AddDays(-10).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), days);
        Assert.Equal(6, doc.RootElement.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("requests").GetInt64()));
    }

    [Theory]
    [InlineData("24h", 4)]
    [InlineData("3d", 5)]
    [InlineData("90m", 3)]
    public async Task Since_ASpan_CountsOnlyLaterRows(string since, long expected)
    {
        var result = await _cli.RunAsync("usage", "--since", since, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(expected, doc.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Since_ADate_And_Project_Filter()
    {
        var date = _now.AddDays(-5).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var since = await _cli.RunAsync("usage", "--since", date, "--json");
        var project = await _cli.RunAsync("usage", "--project", "/p2", "--json");

        Assert.True(since.ExitCode == 0, since.Error);
        using (var doc = JsonDocument.Parse(since.Out))
        {
            Assert.Equal(5, doc.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
        }
        using (var doc = JsonDocument.Parse(project.Out))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
            Assert.Equal("/p2", doc.RootElement.GetProperty("project").GetString());
        }
    }

    [Fact]
    public async Task TheTable_HasARowPerGroup_AndATotal()
    {
        var result = await _cli.RunAsync("usage", "--by", "provider");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("provider", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("total", lines[3], StringComparison.Ordinal);
        Assert.Contains("0.875000", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyStateFolder_GivesZeroTotals()
    {
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("empty") });

        var result = await cli.RunAsync("usage", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(0, doc.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.False(File.Exists(_dir.Combine("empty", UsageLedger.FileName)));
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--since", "2026-13-01")]
    [InlineData("--since", "0d")]
    [InlineData("--by", "week")]
    public async Task ABadValue_IsExit2(string option, string value)
    {
        var result = await _cli.RunAsync("usage", option, value, "--json");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task ABadSince_WithJson_PrintsTheErrorObject()
    {
        var result = await _cli.RunAsync("usage", "--since", "soon", "--json");

        Assert.Equal(2, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Contains("7d", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static UsageRecord Row(DateTimeOffset time, string provider, string model, string operation, string? spec, string project,
        TokenUsage tokens, decimal cost) => new()
        {
            Time = time,
            RunId = "run-" + time.ToUnixTimeMilliseconds(),
            Operation = operation,
            Spec = spec,
            Project = project,
            Provider = provider,
            Model = model,
            Tokens = tokens,
            CostUsd = cost,
            Outcome = "ok",
        };
}
