using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;
using SpecSynth.Middleware;
using SpecSynth.Usage;

namespace SpecSynth.Budget;

/// <summary>
/// Checks each request of one provider link against the budgets before it is sent: the worst case (<see cref="RequestCost"/>)
/// is reserved; when a budget has less left, the output cap is lowered so the worst case fits (never below
/// <c>[budget] min_output_tokens</c>); when it cannot pay even that, <see cref="SpecSynthException"/>
/// (<see cref="ErrorKind.BudgetExceeded"/>) with the numbers, and nothing is sent. After the reply the reservation is settled
/// to the reported cost; a failed, cancelled or abandoned call releases it.
/// </summary>
internal sealed class BudgetChatClient(IChatClient inner, string provider, LinkBudget budget) : StreamObservingChatClient(inner)
{
    /// <summary>Counts the prompts (one for the link, not one per request).</summary>
    private readonly PromptTokenCounter _prompts = new(budget.Counter);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        // A request that goes into a provider's batch is reserved and settled at the batch price (half).
        var batched = Batching.BatchScope.Current is { Claimable: true };
        var (reservation, sent, bounded) = await ReserveAsync(list, options, batched, cancellationToken).ConfigureAwait(false);
        long actual = 0;
        try
        {
            var response = await base.GetResponseAsync(list, sent, cancellationToken).ConfigureAwait(false);
            actual = RequestCost.Actual(response.Usage, budget.Pricing) is { } paid ? (batched ? paid / 2 : paid)
                : Unreported(reservation, bounded, list, options, batched);
            return response;
        }
        finally
        {
            await budget.Ledger.SettleAsync(reservation, actual).ConfigureAwait(false);
        }
    }

    /// <remarks>Its streams are driven with the breaker and rate limits right below (<see cref="ObservedStream"/>): one enumerator for the three.</remarks>
    private protected override StreamGuards Guard(IChatClient inner) => StreamGuards.Over(this, inner);

    /// <summary>What a stream holds from its start to its settlement.</summary>
    internal struct StreamHold
    {
        public BudgetReservation Reservation;
        public IReadOnlyList<ChatMessage> Messages;
        public ChatOptions? Options;
        public ChatOptions? Asked;
        public bool Bounded;

        /// <summary>The reports added up as they arrive (no <see cref="UsageDetails"/> of their sum).</summary>
        public UsageSum Usage;
    }

    /// <summary>A stream's start: its worst case reserved; the messages and options to send.</summary>
    internal async ValueTask<StreamHold> ReserveStreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var (reservation, sent, bounded) = await ReserveAsync(list, options, false, cancellationToken).ConfigureAwait(false);
        return new StreamHold { Reservation = reservation, Messages = list, Options = sent, Asked = options, Bounded = bounded };
    }

    /// <summary>Adds up <paramref name="update"/>'s usage reports.</summary>
    internal static void Observe(ref StreamHold hold, ChatResponseUpdate update)
    {
        // An index loop: no enumerator per update.
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is UsageContent content)
            {
                hold.Usage.Add(content.Details);
            }
        }
    }

    /// <summary>What a stream read to its end is settled to.</summary>
    internal long Actual(in StreamHold hold) =>
        RequestCost.Actual(hold.Usage, budget.Pricing) ?? Unreported(hold.Reservation, hold.Bounded, hold.Messages, hold.Asked, false);

    /// <summary>Settles (or, with 0, releases) a stream's reservation.</summary>
    internal Task SettleAsync(in StreamHold hold, long actual) => budget.Ledger.SettleAsync(hold.Reservation, actual);

    /// <summary>
    /// Reserves the request's worst case and returns the options to send (the output cap lowered when the budgets have less
    /// left). With an exact tokenizer the prompt is first reserved at a bound no count can exceed (<see
    /// cref="PromptTokenCounter.UpperBound"/>: one vectorised pass over each text instead of the tokenizer); when the budgets
    /// grant that in full, the exact count's worst case would have been granted in full too, with the same output cap, so
    /// the request goes with it (<c>Bounded</c>: it holds a little more until it is settled, and a reply that reports no
    /// usage is settled to the exact count's worst case, as before). Otherwise (near a limit) nothing is held and the exact
    /// count decides the cap and the refusal, exactly as without the bound.
    /// </summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: a reservation the ledger grants at once costs no task here.</remarks>
    private async ValueTask<(BudgetReservation Reservation, ChatOptions? Options, bool Bounded)> ReserveAsync(IReadOnlyList<ChatMessage> messages,
        ChatOptions? options, bool batched, CancellationToken cancellationToken)
    {
        var counter = _prompts;
        var maxOutput = options?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens;
        if (counter.UpperBound(messages) is { } bound)
        {
            var most = Cost(bound, maxOutput, batched);
            // All of it or nothing: a partial grant would lower the cap by more than the exact count needs.
            var (held, _) = await budget.Ledger.ReserveAsync(most.Wanted, most.Wanted, cancellationToken).ConfigureAwait(false);
            if (held is not null)
            {
                if (held.Nanos >= most.Wanted)
                {
                    return (held, options, true);
                }
                await budget.Ledger.SettleAsync(held, 0).ConfigureAwait(false);
            }
        }
        var cost = Cost(counter.Estimate(messages), maxOutput, batched);
        var (reservation, grant) = await budget.Ledger.ReserveAsync(cost.Wanted, cost.Minimum, cancellationToken).ConfigureAwait(false);
        if (reservation is null)
        {
            throw new SpecSynthException(ErrorKind.BudgetExceeded,
                BudgetExceededMessage.For(provider, budget.Model, cost, grant, budget.Ledger.Options));
        }
        var cap = cost.OutputCapFor(reservation.Nanos);
        if (cap >= maxOutput)
        {
            return (reservation, options, false);
        }
        var capped = options?.Clone() ?? new ChatOptions();
        capped.MaxOutputTokens = cap;
        return (reservation, capped, false);
    }

    /// <summary>The worst case of a prompt of <paramref name="promptTokens"/> (at the batch price, half, when
    /// <paramref name="batched"/>).</summary>
    private RequestCost Cost(int promptTokens, int maxOutput, bool batched)
    {
        var cost = RequestCost.Of(promptTokens, maxOutput, budget.Ledger.Options.MinOutputTokens, budget.Pricing);
        return batched ? cost with { InputNanos = cost.InputNanos / 2, OutputNanosPerToken = cost.OutputNanosPerToken / 2 } : cost;
    }

    /// <summary>What a call whose reply reported no usage is settled to: its worst case, the exact count's when it was
    /// reserved at the bound (what the exact count's reservation held, since that one was granted in full).</summary>
    private long Unreported(BudgetReservation reservation, bool bounded, IReadOnlyList<ChatMessage> messages, ChatOptions? options, bool batched) =>
        bounded
            ? Cost(_prompts.Estimate(messages), options?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens, batched).Wanted
            : reservation.Nanos;
}
