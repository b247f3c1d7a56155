using System.Text.Json;
using SpecSynth.Providers;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger row of each kind of call, end to end through the CLI against the fake Anthropic server:
/// answered (cache writes and reads priced at their own prices), cache hit, retried, refused, cancelled, and the
/// operations and specs of explain and review.</summary>
public sealed class LedgerOverProvidersTests
{
    [Fact]
    public async Task AnAnsweredCall_AndItsCacheHit_AreRecorded_WithTokensAndCacheAwareCost()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var first = await h.RunAsync("generate", h.SpecPath, "--dry-run", "--json");
        var again = await h.RunAsync("generate", h.SpecPath, "--dry-run", "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Single(h.ChatRequests);
        var rows = Ledger(h);
        Assert.Equal(2, rows.Count);
        var (answered, hit) = (rows[0], rows[1]);

        Assert.Equal("generate", answered.Operation);
        Assert.Equal("spec.md", answered.Spec);
        Assert.Equal(h.Project, answered.Project);
        Assert.Equal("claude", answered.Provider);
        Assert.Equal(h.Case.AnsweringModel, answered.Model);
        Assert.Equal("ANTHROPIC_API_KEY", answered.KeyAlias);
        Assert.Equal(h.Case.ExpectedUsage, answered.Tokens);
        // 1203 x $3 + 845 x $15 + 4096 cache writes x $3.75 + 2048 cache reads x $0.30 per million (input price for all
        // input would be $0.034716).
        Assert.Equal(0.0322584m, Math.Round(answered.CostUsd, 7));
        Assert.Equal(ModelCatalog.BuiltIn.Lookup("claude", "claude-sonnet-4-5").Cost(h.Case.ExpectedUsage), Math.Round(answered.CostUsd, 10));
        using (var json = JsonDocument.Parse(first.Out))
        {
            Assert.Equal(json.RootElement.GetProperty("cost_usd").GetDecimal(), Math.Round(answered.CostUsd, 6));
        }
        Assert.Equal("ok", answered.Outcome);
        Assert.False(answered.CacheHit);
        Assert.True(answered.Streamed);
        Assert.Equal(0, answered.Retries);
        Assert.NotNull(answered.TimeToFirstToken);
        Assert.InRange(answered.TimeToFirstToken.Value, TimeSpan.Zero, answered.Latency);

        Assert.True(hit.CacheHit);
        Assert.Equal("ok", hit.Outcome);
        Assert.Equal(TokenUsage.Zero, hit.Tokens);
        Assert.Equal(0m, hit.CostUsd);
        Assert.Equal("claude", hit.Provider);
        Assert.Null(hit.KeyAlias);
        Assert.Equal("spec.md", hit.Spec);
        Assert.NotEqual(answered.RunId, hit.RunId);
    }

    [Fact]
    public async Task ARetriedCall_IsOneRow_CountingItsRetries()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure("[retry]\nmax_attempts = 3\ninitial_delay = 0.01\nmax_delay = 0.02\n");
        h.Server.Enqueue(h.Case.Error(529, "Overloaded", "overloaded_error"), h.Case.Error(500, "boom", "api_error"),
            h.Case.Reply(ModelAnswers.Explanation, stream: false));

        var result = await h.RunAsync("explain", h.CodePath, "--no-stream", "--no-cache");

        Assert.True(result.ExitCode == 0, result.Error);
        var row = Assert.Single(Ledger(h));
        Assert.Equal(2, row.Retries);
        Assert.Equal("ok", row.Outcome);
        Assert.Equal(h.Case.ExpectedUsage, row.Tokens);
        Assert.False(row.Streamed);
        Assert.Null(row.TimeToFirstToken);
    }

    [Fact]
    public async Task ARefusedCall_IsRecorded_WithItsErrorKind_AndNoCost()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Error(401, "invalid x-api-key", "authentication_error"));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.Equal(3, result.ExitCode);
        var row = Assert.Single(Ledger(h));
        Assert.Equal("auth", row.Outcome);
        Assert.Equal("claude", row.Provider);
        Assert.Equal("claude-sonnet-4-5", row.Model);
        Assert.Equal(TokenUsage.Zero, row.Tokens);
        Assert.Equal(0m, row.CostUsd);
        Assert.False(row.CacheHit);
        var audit = AuditLines(h);
        Assert.Equal("auth", Assert.Single(audit).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ACancelledCall_IsRecordedAsCancelled()
    {
        await using var h = await CliHarness.StartAsync("claude");
        var reply = h.Case.Reply(ModelAnswers.TwoFiles, stream: true);
        h.Server.Enqueue(reply with { PauseAfterBytes = reply.Body.Length / 3, Pause = TimeSpan.FromSeconds(5) });
        using var cts = new CancellationTokenSource();
        var run = h.Cli.RunAsync(cts.Token, ["generate", h.SpecPath, "--out", h.Out, "--provider", "claude"]);
        while (h.ChatRequests.Count == 0 && !run.IsCompleted)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        await cts.CancelAsync();

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 130, result.Error);
        var row = Assert.Single(Ledger(h));
        Assert.Equal("cancelled", row.Outcome);
        Assert.Equal("claude", row.Provider);
        // The usage arrives at the end of an Anthropic stream: a stream cut short reported none.
        Assert.Equal(TokenUsage.Zero, row.Tokens);
        Assert.Equal(0m, row.CostUsd);
        Assert.True(row.Streamed);
    }

    [Fact]
    public async Task ExplainAndReview_AreRecordedUnderTheirOperations_AndSpec()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream: false), h.Case.Reply(ModelAnswers.Review, stream: true));

        var explain = await h.RunAsync("explain", h.CodePath, "--spec", "spec.md", "--no-stream");
        var review = await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath);

        Assert.True(explain.ExitCode == 0, explain.Error);
        Assert.True(review.ExitCode == 0, review.Error);
        var rows = Ledger(h);
        Assert.Equal(["explain", "review"], rows.Select(r => r.Operation));
        Assert.Equal(["spec.md", "REQ.md"], rows.Select(r => r.Spec));
        Assert.All(rows, r => Assert.Equal(h.Case.ExpectedUsage, r.Tokens));
        var audit = AuditLines(h);
        Assert.Equal(["explain", "review"], audit.Select(a => a.GetProperty("operation").GetString()));
        Assert.All(audit, a => Assert.Matches("^[0-9a-f]{64}$", a.GetProperty("prompt_sha256").GetString()!));
        Assert.All(audit, a => Assert.False(a.TryGetProperty("prompt", out _)));
    }

    internal static IReadOnlyList<UsageRecord> Ledger(CliHarness h)
    {
        using var ledger = new UsageLedger(Path.Combine(h.Home, UsageLedger.FileName));
        return ledger.ReadAll();
    }

    internal static IReadOnlyList<JsonElement> AuditLines(CliHarness h) =>
        [.. File.ReadAllLines(Path.Combine(h.Home, AuditLog.FileName)).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
