using SpecSynth.Budget;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Budget;

/// <summary>The reservation math: worst case at the dearest input price, the output cap a grant pays for, the grant decision.</summary>
public sealed class RequestCostTests
{
    private static readonly ModelInfo Sonnet = ModelCatalog.BuiltIn.Lookup("claude", "claude-sonnet-4-5");

    [Fact]
    public void WorstCase_PricesThePromptAtTheCacheWritePrice_AndTheWholeOutputCap()
    {
        var cost = RequestCost.Of(1000, 16_000, 1024, Sonnet);

        // Sonnet 4.5: input $3/M, cache write $3.75/M (the dearest), output $15/M.
        Assert.Equal(3_750_000, cost.InputNanos);
        Assert.Equal(3_750_000 + (16_000 * 15_000L), cost.Wanted);
        Assert.Equal(3_750_000 + (1024 * 15_000L), cost.Minimum);
        Assert.Equal("$0.2438", BudgetMoney.Format(cost.Wanted));
    }

    [Fact]
    public void OutputCap_IsWhatTheGrantPaysForAfterThePrompt()
    {
        var cost = RequestCost.Of(1000, 16_000, 1024, Sonnet);

        Assert.Equal(16_000, cost.OutputCapFor(cost.Wanted));
        Assert.Equal((50_000_000 - 3_750_000) / 15_000, cost.OutputCapFor(50_000_000));
        Assert.Equal(1024, cost.OutputCapFor(cost.Minimum));
    }

    [Fact]
    public void AnOutputCapBelowTheFloor_IsItsOwnMinimum()
    {
        var cost = RequestCost.Of(10, 500, 1024, Sonnet);

        Assert.Equal(500, cost.MinOutputTokens);
        Assert.Equal(cost.Wanted, cost.Minimum);
    }

    [Fact]
    public void ActualCost_UsesTheReportedUsageSplitByCacheKind()
    {
        var usage = new Microsoft.Extensions.AI.UsageDetails
        {
            InputTokenCount = 1203 + 4096 + 2048,
            OutputTokenCount = 845,
            CachedInputTokenCount = 2048,
            AdditionalCounts = new() { [UsageMapper.CacheWriteKey] = 4096 },
        };

        // 1203 x $3 + 845 x $15 + 4096 x $3.75 + 2048 x $0.30, per million.
        Assert.Equal(32_258_400, RequestCost.Actual(usage, Sonnet));
        Assert.Null(RequestCost.Actual(new Microsoft.Extensions.AI.UsageDetails(), Sonnet));
    }

    [Theory]
    [InlineData(100, 30, 60, 20, 60)] // enough left: all of it
    [InlineData(100, 80, 60, 10, 20)] // less left than wanted but at least the minimum: what is left
    [InlineData(100, 95, 60, 10, 0)]  // not even the minimum: refused
    public void Decide_GrantsAllOrWhatIsLeftOrNothing(long limit, long used, long wanted, long minimum, long expected)
    {
        var window = new BudgetWindow("daily", "day:2026-12-02", limit);
        var other = new BudgetWindow("monthly", "month:2026-12", 1000);

        var grant = BudgetGrant.Decide([(other, 0), (window, used)], wanted, minimum);

        Assert.Equal(expected, grant.Granted);
        Assert.Same(window, grant.Short);
        Assert.Equal(limit - used, grant.LeftNanos);
    }
}
