using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Context.Tokens;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Budget;

/// <summary>The budget check of a link with an exact tokenizer: the prompt's byte bound is reserved first, all or nothing,
/// and every request is sent, capped or refused exactly as the exact count decides.</summary>
public sealed class BudgetChatClientTests
{
    private const int MaxOutput = 4000;
    private static readonly ModelInfo Gpt4o = ModelCatalog.BuiltIn.Lookup("openai", "gpt-4o");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly List<ChatMessage> Messages =
    [
        new(ChatRole.System, "You are a careful engineer."),
        new(ChatRole.User, string.Concat(Enumerable.Repeat("The function takes a list of orders and returns the total per customer. ", 60))),
    ];

    private static readonly PromptTokenCounter Counter = new(TiktokenCounter.ForEncoding(OpenAIEncodings.O200kBase));
    private static readonly RequestCost Exact = RequestCost.Of(Counter.Estimate(Messages), MaxOutput, BudgetOptions.DefaultMinOutputTokens, Gpt4o);
    private static readonly RequestCost Loose = RequestCost.Of(Counter.UpperBound(Messages)!.Value, MaxOutput, BudgetOptions.DefaultMinOutputTokens, Gpt4o);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABudgetBetweenTheExactWorstCaseAndTheBound_SendsTheRequestUncapped(bool streaming)
    {
        Assert.True(Loose.Wanted > Exact.Wanted, "the bound must be looser than the exact count for this test to mean anything");
        var limit = (Exact.Wanted + Loose.Wanted) / 2;

        var (caps, _) = await SendAsync(limit, streaming);

        Assert.Equal([MaxOutput], caps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABudgetBelowTheExactWorstCase_CapsTheOutputByTheExactCount(bool streaming)
    {
        var limit = (Exact.Minimum + Exact.Wanted) / 2;

        var (caps, _) = await SendAsync(limit, streaming);

        Assert.Equal([Exact.OutputCapFor(limit)], caps);
        Assert.True(caps[0] < MaxOutput);
    }

    [Fact]
    public async Task ABudgetBelowTheExactMinimum_RefusesAndSendsNothing()
    {
        var (caps, ex) = await SendAsync(Exact.Minimum - 1, streaming: true);

        Assert.Equal(ErrorKind.BudgetExceeded, Assert.IsType<SpecSynthException>(ex).Kind);
        Assert.Empty(caps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheBoundIsHeldDuringTheCall_AndTheReportedCostAfterIt(bool streaming)
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(Now);
        using var ledger = BudgetLedger.Open(new BudgetOptions { DailyUsd = 100m }, null, dir.Path, time, null)!;
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        long during = -1;
        var inner = new ScriptedChatClient(_ =>
        {
            during = store.Used("day:2026-12-06");
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 500, OutputTokenCount = 20 } };
        });
        using var client = new BudgetChatClient(inner, "openai", new LinkBudget(ledger, "gpt-4o", Gpt4o, Counter.Local, MaxOutput));

        await CallAsync(client, streaming);

        Assert.Equal(Loose.Wanted, during);
        Assert.Equal(RequestCost.Actual(new UsageDetails { InputTokenCount = 500, OutputTokenCount = 20 }, Gpt4o), store.Used("day:2026-12-06"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReplyWithoutUsage_IsChargedTheExactWorstCase_NotTheBound(bool streaming)
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(Now);
        using var ledger = BudgetLedger.Open(new BudgetOptions { DailyUsd = 100m }, null, dir.Path, time, null)!;
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        var inner = new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        using var client = new BudgetChatClient(inner, "openai", new LinkBudget(ledger, "gpt-4o", Gpt4o, Counter.Local, MaxOutput));

        await CallAsync(client, streaming);

        Assert.Equal(Exact.Wanted, store.Used("day:2026-12-06"));
    }

    /// <summary>One request under a daily budget of <paramref name="limitNanos"/>: the output caps the provider was asked
    /// for (none when nothing was sent), and what the call threw.</summary>
    private static async Task<(List<int> Caps, Exception? Error)> SendAsync(long limitNanos, bool streaming)
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(Now);
        var options = new BudgetOptions { DailyUsd = limitNanos / (decimal)BudgetMoney.NanosPerUsd };
        using var ledger = BudgetLedger.Open(options, null, dir.Path, time, null)!;
        var caps = new List<int>();
        var inner = new CapturingClient(new ScriptedChatClient("ok"), caps);
        using var client = new BudgetChatClient(inner, "openai", new LinkBudget(ledger, "gpt-4o", Gpt4o, Counter.Local, MaxOutput));
        try
        {
            await CallAsync(client, streaming);
            return (caps, null);
        }
        catch (SpecSynthException ex)
        {
            return (caps, ex);
        }
    }

    private static async Task CallAsync(IChatClient client, bool streaming)
    {
        if (streaming)
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Messages))
            {
            }
        }
        else
        {
            await client.GetResponseAsync(Messages);
        }
    }

    /// <summary>Records the output cap of every request it passes on.</summary>
    private sealed class CapturingClient(IChatClient inner, List<int> caps) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            caps.Add(options?.MaxOutputTokens ?? MaxOutput);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            caps.Add(options?.MaxOutputTokens ?? MaxOutput);
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}
