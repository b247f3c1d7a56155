using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Context;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Budget;

/// <summary>
/// The budget check of one link: with an exact tokenizer a request far below every limit is reserved at the prompt's UTF-8
/// bound and no exact count runs; near a limit the exact count decides, so the output cap, the refusal's message and the
/// settled amount are those of the exact count.
/// </summary>
public sealed class BudgetChatClientTests
{
    private const int MaxOutput = 16_000;
    private static readonly ModelInfo Sonnet = ModelCatalog.BuiltIn.Lookup("claude", "claude-sonnet-4-5");

    // 40,000 ASCII bytes: the counter below counts 10,000 tokens, the bound is 40,000 (plus the chat wrapping of both).
    private static readonly string LongText = string.Concat(Enumerable.Repeat("orders per customer, summed. ", 1380))[..40_000];

    [Fact]
    public async Task FarBelowTheLimit_NoExactCountRuns_AndTheOptionsGoAsTheyCame()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        using var ledger = Ledger(dir, 100m);
        var inner = new Recording();
        using var client = new BudgetChatClient(inner, "claude", new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));
        var options = new ChatOptions { MaxOutputTokens = 4000 };

        await client.GetResponseAsync(Messages(LongText), options);

        Assert.Equal(0, counter.Calls);
        Assert.Same(options, inner.Options);
    }

    [Fact]
    public async Task WhenTheBoundDoesNotFit_ButTheExactCountDoes_TheExactCountRuns_AndTheCapIsWhole()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        var exact = ExactCost(counter, MaxOutput);
        // The bound: the texts' UTF-8 bytes and the same wrapping (3 for the reply, 3 per message).
        var bound = RequestCost.Of(16 + 40_000 + 9, MaxOutput, BudgetOptions.DefaultMinOutputTokens, Sonnet);
        var limit = (exact.Wanted + bound.Wanted) / 2;
        using var ledger = Ledger(dir, limit / 1e9m);
        var inner = new Recording();
        using var client = new BudgetChatClient(inner, "claude", new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await client.GetResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput });

        Assert.True(counter.Calls > 0);
        Assert.Equal(MaxOutput, inner.Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task NearTheLimit_TheCapIsTheOneTheExactCountPaysFor()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        var exact = ExactCost(counter, MaxOutput);
        var limit = exact.Wanted - 40_000_000;
        using var ledger = Ledger(dir, limit / 1e9m);
        var inner = new Recording();
        using var client = new BudgetChatClient(inner, "claude", new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await client.GetResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput });

        var cap = inner.Options!.MaxOutputTokens;
        Assert.Equal(exact.OutputCapFor(BudgetMoney.ToNanos(limit / 1e9m)), cap);
        Assert.InRange(cap!.Value, BudgetOptions.DefaultMinOutputTokens, MaxOutput - 1);
    }

    [Fact]
    public async Task OverTheLimit_TheRefusalNamesTheExactCount_AndNothingIsSent()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        var exact = ExactCost(counter, MaxOutput);
        using var ledger = Ledger(dir, 0.01m);
        var inner = new Recording();
        using var client = new BudgetChatClient(inner, "claude", new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => client.GetResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput }));

        // The message the exact count's own reservation gives on a ledger in the same state.
        using var same = Ledger(dir, 0.01m);
        var (none, grant) = await same.ReserveAsync(exact.Wanted, exact.Minimum, CancellationToken.None);
        Assert.Null(none);
        Assert.Equal(ErrorKind.BudgetExceeded, ex.Kind);
        Assert.Equal(BudgetExceededMessage.For("claude", "claude-sonnet-4-5", exact, grant, same.Options), ex.Message);
        Assert.Contains("10,013 prompt tokens", ex.Message, StringComparison.Ordinal);
        Assert.Null(inner.Options);
    }

    [Fact]
    public async Task AReplyWithoutUsage_IsSettledToTheExactCountsWorstCase_NotTheBound()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        var exact = ExactCost(counter, MaxOutput);
        using var ledger = Ledger(dir, 100m);
        using var client = new BudgetChatClient(new Recording(reportUsage: false), "claude",
            new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await client.GetResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput });

        Assert.Equal(exact.Wanted, await UsedAsync(ledger, 100m));
    }

    [Fact]
    public async Task AReplyWithUsage_IsSettledToItsCost_AndTheBoundIsReleased()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        using var ledger = Ledger(dir, 100m);
        using var client = new BudgetChatClient(new Recording(reportUsage: true), "claude",
            new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await foreach (var _ in client.GetStreamingResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput }))
        {
        }

        // 100 input tokens at $3/M and 10 output tokens at $15/M.
        Assert.Equal((100 * 3000) + (10 * 15_000), await UsedAsync(ledger, 100m));
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task AStreamsReports_AreSettledToTheCostOfTheirSum()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        using var ledger = Ledger(dir, 100m);
        using var client = new BudgetChatClient(new Reporting(
                new UsageDetails { InputTokenCount = 60 },
                new UsageDetails { InputTokenCount = 40, OutputTokenCount = 4 },
                new UsageDetails { OutputTokenCount = 6 }), "claude",
            new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await foreach (var _ in client.GetStreamingResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput }))
        {
        }

        // 100 input tokens at $3/M and 10 output tokens at $15/M, from three reports.
        Assert.Equal((100 * 3000) + (10 * 15_000), await UsedAsync(ledger, 100m));
    }

    [Fact]
    public async Task AStreamWhoseReportsHaveNoInputOrOutputCount_IsSettledToTheExactWorstCase()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: true);
        var exact = ExactCost(counter, MaxOutput);
        using var ledger = Ledger(dir, 100m);
        using var client = new BudgetChatClient(new Reporting(new UsageDetails { TotalTokenCount = 110 }), "claude",
            new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await foreach (var _ in client.GetStreamingResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput }))
        {
        }

        Assert.Equal(exact.Wanted, await UsedAsync(ledger, 100m));
    }

    [Fact]
    public async Task AnEstimatingCounter_HasNoBound_AndCountsEveryRequest()
    {
        using var dir = new TempDir();
        var counter = new CountingCounter(exact: false);
        using var ledger = Ledger(dir, 100m);
        var inner = new Recording();
        using var client = new BudgetChatClient(inner, "claude", new LinkBudget(ledger, "claude-sonnet-4-5", Sonnet, counter, MaxOutput));

        await client.GetResponseAsync(Messages(LongText), new ChatOptions { MaxOutputTokens = MaxOutput });

        Assert.Equal(2, counter.Calls);
    }

    private static List<ChatMessage> Messages(string user) => [new(ChatRole.System, "You are careful."), new(ChatRole.User, user)];

    /// <summary>The worst case of <see cref="Messages"/> with <paramref name="counter"/>'s count, as the check prices it.</summary>
    private static RequestCost ExactCost(CountingCounter counter, int maxOutput)
    {
        var tokens = new SpecSynth.Context.Tokens.PromptTokenCounter(new CountingCounter(counter.IsExact)).Estimate(Messages(LongText));
        return RequestCost.Of(tokens, maxOutput, BudgetOptions.DefaultMinOutputTokens, Sonnet);
    }

    private static BudgetLedger Ledger(TempDir dir, decimal runUsd) =>
        BudgetLedger.Open(new BudgetOptions { RunUsd = runUsd }, null, dir.Path, new FakeTimeProvider(), null)!;

    /// <summary>What the run budget holds: a reservation of more than the limit is refused with what is left.</summary>
    private static async Task<long> UsedAsync(BudgetLedger ledger, decimal runUsd)
    {
        var limit = BudgetMoney.ToNanos(runUsd);
        var (none, grant) = await ledger.ReserveAsync(limit + 1, limit + 1, CancellationToken.None);
        Assert.Null(none);
        return limit - grant.LeftNanos;
    }

    /// <summary>A counter that counts its calls: a quarter of the text's UTF-8 bytes, rounded up (never above them).</summary>
    private sealed class CountingCounter(bool exact) : ITokenCounter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public bool IsExact => exact;

        public int Count(string text)
        {
            Interlocked.Increment(ref _calls);
            return (Encoding.UTF8.GetByteCount(text) + 3) / 4;
        }
    }

    /// <summary>Streams one text update, then each of <paramref name="reports"/> as its own update.</summary>
    private sealed class Reporting(params UsageDetails[] reports) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "done");
            foreach (var report in reports)
            {
                yield return new ChatResponseUpdate { Contents = [new UsageContent(report)] };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
            // Nothing to release.
        }
    }

    private sealed class Recording(bool reportUsage = true) : IChatClient
    {
        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "done")) { Usage = Usage() });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Options = options;
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "done");
            if (Usage() is { } usage)
            {
                yield return new ChatResponseUpdate { Contents = [new UsageContent(usage)] };
            }
        }

        private UsageDetails? Usage() => reportUsage ? new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 } : null;

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
            // Nothing to release.
        }
    }
}
