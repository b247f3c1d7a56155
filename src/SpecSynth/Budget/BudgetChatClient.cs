using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Budget;

/// <summary>
/// Checks each request of one provider link against the budgets before it is sent: the worst case (<see cref="RequestCost"/>)
/// is reserved; when a budget has less left, the output cap is lowered so the worst case fits (never below
/// <c>[budget] min_output_tokens</c>); when it cannot pay even that, <see cref="SpecSynthException"/>
/// (<see cref="ErrorKind.BudgetExceeded"/>) with the numbers, and nothing is sent. After the reply the reservation is settled
/// to the reported cost; a failed, cancelled or abandoned call releases it. With an exact tokenizer the prompt is first
/// reserved at a bound that needs no tokenizing (its UTF-8 length), all or nothing: when every budget has that much left,
/// the exact worst case fits too and the request goes out uncapped, as it would have; only the amount held until the
/// settlement is larger. Otherwise (and to settle a reply that reports no usage) the prompt is counted exactly.
/// </summary>
internal sealed class BudgetChatClient(IChatClient inner, string provider, LinkBudget budget) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        // A request that goes into a provider's batch is reserved and settled at the batch price (half).
        var batched = Batching.BatchScope.Current is { Claimable: true };
        var (reservation, sent, loose) = await ReserveAsync(list, options, batched, cancellationToken).ConfigureAwait(false);
        long actual = 0;
        try
        {
            var response = await base.GetResponseAsync(list, sent, cancellationToken).ConfigureAwait(false);
            actual = RequestCost.Actual(response.Usage, budget.Pricing) is { } paid
                ? (batched ? paid / 2 : paid)
                : Unreported(reservation, loose, list, options, batched);
            return response;
        }
        finally
        {
            await budget.Ledger.SettleAsync(reservation, actual).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var (reservation, sent, loose) = await ReserveAsync(list, options, false, cancellationToken).ConfigureAwait(false);
        long actual = 0;
        try
        {
            var usage = new UsageDetails();
            var reported = false;
            await foreach (var update in base.GetStreamingResponseAsync(list, sent, cancellationToken).ConfigureAwait(false))
            {
                // An index loop: no enumerator per update.
                for (var i = 0; i < update.Contents.Count; i++)
                {
                    if (update.Contents[i] is UsageContent content)
                    {
                        usage.Add(content.Details);
                        reported = true;
                    }
                }
                yield return update;
            }
            actual = (reported ? RequestCost.Actual(usage, budget.Pricing) : null) ?? Unreported(reservation, loose, list, options, false);
        }
        finally
        {
            await budget.Ledger.SettleAsync(reservation, actual).ConfigureAwait(false);
        }
    }

    /// <summary>Reserves the request's worst case. <c>Loose</c>: the reservation is the prompt's byte bound, uncapped (the
    /// options are the caller's).</summary>
    private async Task<(BudgetReservation Reservation, ChatOptions? Options, bool Loose)> ReserveAsync(IReadOnlyList<ChatMessage> messages,
        ChatOptions? options, bool batched, CancellationToken cancellationToken)
    {
        var counter = new PromptTokenCounter(budget.Counter);
        var maxOutput = options?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens;
        if (counter.UpperBound(messages) is { } bound)
        {
            // All or nothing (minimum = wanted): granted, the exact worst case (not above it) would have been granted in full too.
            var loose = Cost(bound, maxOutput, batched);
            var (held, _) = await budget.Ledger.ReserveAsync(loose.Wanted, loose.Wanted, cancellationToken).ConfigureAwait(false);
            if (held is not null)
            {
                return (held, options, true);
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

    /// <summary>What a reply that reports no usage is charged: the worst case that was (or, for a loose reservation, would
    /// have been) reserved.</summary>
    private long Unreported(BudgetReservation reservation, bool loose, IReadOnlyList<ChatMessage> messages, ChatOptions? options, bool batched) =>
        loose
            ? Cost(new PromptTokenCounter(budget.Counter).Estimate(messages), options?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens, batched).Wanted
            : reservation.Nanos;

    private RequestCost Cost(int promptTokens, int maxOutput, bool batched)
    {
        var cost = RequestCost.Of(promptTokens, maxOutput, budget.Ledger.Options.MinOutputTokens, budget.Pricing);
        // A request that goes into a provider's batch is reserved and settled at the batch price (half).
        return batched ? cost with { InputNanos = cost.InputNanos / 2, OutputNanosPerToken = cost.OutputNanosPerToken / 2 } : cost;
    }
}
