using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Context;
using SpecSynth.Context.Tokens;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Middleware;

/// <summary>
/// The budget check, the circuit breaker and the rate limits stacked as the pipeline stacks them (a link with one key):
/// one <see cref="ObservedStream"/> drives all three, and each still starts, undoes, settles and releases as its own
/// iterator did: an inner refusal releases the outer reservations, an abandoned stream releases all of them, a stream read
/// to its end settles to its reported cost.
/// </summary>
public sealed class ObservedStreamTests : IDisposable
{
    private static readonly ModelInfo Sonnet = ModelCatalog.BuiltIn.Lookup("claude", "claude-sonnet-4-5");
    private const decimal RunUsd = 100m;

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly BudgetLedger _ledger;
    private readonly List<IDisposable> _clients = [];

    public ObservedStreamTests() =>
        _ledger = BudgetLedger.Open(new BudgetOptions { RunUsd = RunUsd }, null, _dir.Path, _time, null)!;

    private static ProviderException Cut() => new(ErrorKind.ProviderUnavailable, "claude", "stream cut", statusCode: 503, isRetryable: true);

    private static List<ChatMessage> Messages() => [new(ChatRole.User, "Write the parser.")];

    private (BudgetChatClient Budget, CircuitBreakerChatClient Breaker, RateLimitChatClient Limits) Stack(IChatClient inner,
        CircuitState circuit, IRateLimiter? limiter = null, IResilienceObserver? observer = null)
    {
        observer ??= new RecordingResilienceObserver(_time);
        var limits = new RateLimitChatClient(inner, "claude", limiter, new ServerRateLimits(_time), new RateLimitOptions(), _time, observer);
        var breaker = new CircuitBreakerChatClient(limits, "claude", circuit, observer);
        var counter = TokenCounters.For("claude", "claude-sonnet-4-5", null);
        var budget = new BudgetChatClient(breaker, "claude", new LinkBudget(_ledger, "claude-sonnet-4-5", Sonnet, counter, 1024));
        _clients.Add(budget);
        return (budget, breaker, limits);
    }

    private CircuitState Circuit(int failureThreshold = 5) =>
        new(new CircuitBreakerOptions { FailureThreshold = failureThreshold, BreakDuration = TimeSpan.FromSeconds(30) }, _time);

    /// <summary>What the run budget holds: a reservation of more than the limit is refused with what is left.</summary>
    private async Task<long> UsedAsync()
    {
        var limit = BudgetMoney.ToNanos(RunUsd);
        var (none, grant) = await _ledger.ReserveAsync(limit + 1, limit + 1, CancellationToken.None);
        Assert.Null(none);
        return limit - grant.LeftNanos;
    }

    private static async Task<List<string>> ReadAsync(IAsyncEnumerable<ChatResponseUpdate> stream, CancellationToken cancellationToken = default)
    {
        var texts = new List<string>();
        await foreach (var update in stream.WithCancellation(cancellationToken))
        {
            texts.Add(update.Text);
        }
        return texts;
    }

    [Fact]
    public void AdjacentBudgetBreakerAndRateLimits_AreDrivenByTheOutermost_OverTheInnermostsClient()
    {
        var script = new StreamScriptClient();
        var (budget, breaker, limits) = Stack(script, Circuit());

        Assert.Equal(new StreamGuards(script, budget, breaker, limits), budget.Guards);
        Assert.Equal(new StreamGuards(script, null, breaker, limits), breaker.Guards);
        // A layer between them ends the run: the breaker over the context-length detection drives only itself.
        using var contextLength = new ContextLengthChatClient(script, null);
        using var alone = new CircuitBreakerChatClient(contextLength, "claude", Circuit(), new RecordingResilienceObserver(_time));
        Assert.Equal(new StreamGuards(contextLength, null, alone), alone.Guards);
    }

    [Fact]
    public async Task AStreamReadToItsEnd_IsSettledToItsReportedCost_AndAnswersTheProbe()
    {
        var circuit = Circuit(failureThreshold: 1);
        var observer = new RecordingResilienceObserver(_time);
        var script = new StreamScriptClient((["a"], null, Cut()), (["b", "c"], ChatFinishReason.Stop, null));
        var usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200 };
        var (budget, _, _) = Stack(new Reporting(script, usage), circuit, observer: observer);
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(budget.GetStreamingResponseAsync(Messages())));
        Assert.Equal(0, await UsedAsync());
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(["b", "c", "", ""], await ReadAsync(budget.GetStreamingResponseAsync(Messages())));

        Assert.Equal(RequestCost.Actual(usage, Sonnet), await UsedAsync());
        Assert.Equal(["circuit_opened", "circuit_half_open", "circuit_closed"], observer.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task AnOpenCircuit_RefusesBeforeTheRequest_AndReleasesTheBudgetsReservation()
    {
        var script = new StreamScriptClient((["a"], null, Cut()), (["never"], ChatFinishReason.Stop, null));
        var (budget, _, _) = Stack(script, Circuit(failureThreshold: 1));
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(budget.GetStreamingResponseAsync(Messages())));

        var open = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(budget.GetStreamingResponseAsync(Messages())));

        Assert.Contains("circuit breaker is open", open.Message, StringComparison.Ordinal);
        Assert.Single(script.Requests);
        Assert.Equal(0, await UsedAsync());
    }

    [Fact]
    public async Task ARateLimitWaitCancelled_ReleasesTheBudget_AndTheProbe()
    {
        var circuit = Circuit(failureThreshold: 1);
        var observer = new RecordingResilienceObserver(_time);
        // 1,100 tokens a minute; each request is estimated at a little more than 1,024 (its output cap): 30 s after the
        // first one the bucket is still short.
        var limiter = new ProviderRateLimiter(new RateLimitOptions { TokensPerMinute = 1100 }, _time);
        var script = new StreamScriptClient((["a"], null, Cut()), (["b"], ChatFinishReason.Stop, null));
        var (budget, _, _) = Stack(script, circuit, limiter, observer);
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(budget.GetStreamingResponseAsync(Messages())));
        _time.Advance(TimeSpan.FromSeconds(30)); // the circuit lets a probe through; the bucket is still short

        using var cancel = new CancellationTokenSource();
        var waiting = ReadAsync(budget.GetStreamingResponseAsync(Messages()), cancel.Token);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Single(script.Requests);
        Assert.Equal(0, await UsedAsync());
        // The cancelled probe was let go, not counted: the next call probes.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["b", ""], await ReadAsync(budget.GetStreamingResponseAsync(Messages())).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(["circuit_opened", "circuit_half_open", "circuit_half_open", "circuit_closed"],
            observer.Events.Where(e => e.Kind.StartsWith("circuit", StringComparison.Ordinal)).Select(e => e.Kind));
    }

    [Fact]
    public async Task AStreamAbandonedEarly_ReleasesTheBudget_AndTheProbe_AndDisposesTheInnerStreamFirst()
    {
        var circuit = Circuit(failureThreshold: 1);
        var observer = new RecordingResilienceObserver(_time);
        var script = new StreamScriptClient((["a"], null, Cut()), (["b", "never read"], ChatFinishReason.Stop, null),
            (["c"], ChatFinishReason.Stop, null));
        var disposal = new DisposalWatch(script);
        var (budget, _, _) = Stack(disposal, circuit, observer: observer);
        await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(budget.GetStreamingResponseAsync(Messages())));
        _time.Advance(TimeSpan.FromSeconds(30));

        await using (var abandoned = budget.GetStreamingResponseAsync(Messages()).GetAsyncEnumerator())
        {
            Assert.True(await abandoned.MoveNextAsync());
            Assert.Equal("b", abandoned.Current.Text);
            Assert.NotEqual(0, await UsedAsync()); // held while the stream is read
            Assert.Equal(1, disposal.Disposed);
        }

        Assert.Equal(2, disposal.Disposed);
        Assert.Equal(0, await UsedAsync());
        Assert.Equal(["c", ""], await ReadAsync(budget.GetStreamingResponseAsync(Messages())));
        Assert.Equal(["circuit_opened", "circuit_half_open", "circuit_half_open", "circuit_closed"], observer.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task AStreamEnumeratedTwice_IsRequestedTwice()
    {
        var script = new StreamScriptClient((["a"], ChatFinishReason.Stop, null), (["b"], ChatFinishReason.Stop, null));
        var (budget, _, _) = Stack(script, Circuit());
        var stream = budget.GetStreamingResponseAsync(Messages());

        Assert.Equal(["a", ""], await ReadAsync(stream));
        Assert.Equal(["b", ""], await ReadAsync(stream));
        Assert.Equal(2, script.Requests.Count);
    }

    [Fact]
    public async Task ContextLength_AStreamRejectedAsTooLong_ReachesTheCallerAsContextTooLong_AfterTheInnerStreamIsDisposed()
    {
        var rejected = new ProviderException(ErrorKind.InvalidInput, "claude", "prompt is too long: 250000 tokens > 200000 maximum", statusCode: 400);
        var disposal = new DisposalWatch(new StreamScriptClient(([], null, rejected)));
        using var client = new ContextLengthChatClient(disposal, 200_000);

        var tooLong = await Assert.ThrowsAsync<ContextTooLongException>(() => ReadAsync(client.GetStreamingResponseAsync(Messages())));

        Assert.Same(rejected, tooLong.InnerException);
        Assert.Equal(1, disposal.Disposed);
    }

    public void Dispose()
    {
        _clients.ForEach(c => c.Dispose());
        _ledger.Dispose();
        _dir.Dispose();
    }

    /// <summary>Adds one update with <paramref name="usage"/> at the end of <paramref name="inner"/>'s stream.</summary>
    private sealed class Reporting(IChatClient inner, UsageDetails usage) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
            yield return new ChatResponseUpdate { Contents = [new UsageContent(usage)] };
        }
    }

    /// <summary>Counts the inner streams disposed.</summary>
    private sealed class DisposalWatch(IChatClient inner) : DelegatingChatClient(inner)
    {
        private int _disposed;

        public int Disposed => Volatile.Read(ref _disposed);

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
                {
                    yield return update;
                }
            }
            finally
            {
                Interlocked.Increment(ref _disposed);
            }
        }
    }
}
