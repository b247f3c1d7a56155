using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Budget;

/// <summary>
/// Checks each request of one provider link against the budgets before it is sent: the worst case (<see cref="RequestCost"/>)
/// is reserved; when a budget has less left, the output cap is lowered so the worst case fits (never below
/// <c>[budget] min_output_tokens</c>); when it cannot pay even that, <see cref="SpecSynthException"/>
/// (<see cref="ErrorKind.BudgetExceeded"/>) with the numbers, and nothing is sent. After the reply the reservation is settled
/// to the reported cost; a failed, cancelled or abandoned call releases it.
/// </summary>
internal sealed class BudgetChatClient(IChatClient inner, string provider, LinkBudget budget) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        // A request that goes into a provider's batch is reserved and settled at the batch price (half).
        var batched = Batching.BatchScope.Current is { Claimable: true };
        var (reservation, sent) = await ReserveAsync(list, options, batched, cancellationToken).ConfigureAwait(false);
        long actual = 0;
        try
        {
            var response = await base.GetResponseAsync(list, sent, cancellationToken).ConfigureAwait(false);
            actual = RequestCost.Actual(response.Usage, budget.Pricing) is { } paid ? (batched ? paid / 2 : paid) : reservation.Nanos;
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
        var (reservation, sent) = await ReserveAsync(list, options, false, cancellationToken).ConfigureAwait(false);
        long actual = 0;
        try
        {
            // The reports' sum: the one report itself while there is one (most streams), a sum from the second on.
            UsageDetails? usage = null;
            var summed = false;
            await foreach (var update in base.GetStreamingResponseAsync(list, sent, cancellationToken).ConfigureAwait(false))
            {
                // An index loop: no enumerator per update.
                for (var i = 0; i < update.Contents.Count; i++)
                {
                    if (update.Contents[i] is UsageContent content)
                    {
                        if (usage is null)
                        {
                            usage = content.Details;
                            continue;
                        }
                        if (!summed)
                        {
                            var first = usage;
                            (usage = new UsageDetails()).Add(first);
                            summed = true;
                        }
                        usage.Add(content.Details);
                    }
                }
                yield return update;
            }
            actual = RequestCost.Actual(usage, budget.Pricing) ?? reservation.Nanos;
        }
        finally
        {
            await budget.Ledger.SettleAsync(reservation, actual).ConfigureAwait(false);
        }
    }

    /// <remarks>A <see cref="ValueTask{TResult}"/>: a reservation the ledger grants at once costs no task here.</remarks>
    private async ValueTask<(BudgetReservation Reservation, ChatOptions? Options)> ReserveAsync(IReadOnlyList<ChatMessage> messages,
        ChatOptions? options, bool batched, CancellationToken cancellationToken)
    {
        var prompt = new PromptTokenCounter(budget.Counter).Estimate(messages);
        var maxOutput = options?.MaxOutputTokens ?? budget.DefaultMaxOutputTokens;
        var cost = RequestCost.Of(prompt, maxOutput, budget.Ledger.Options.MinOutputTokens, budget.Pricing);
        if (batched)
        {
            cost = cost with { InputNanos = cost.InputNanos / 2, OutputNanosPerToken = cost.OutputNanosPerToken / 2 };
        }
        var (reservation, grant) = await budget.Ledger.ReserveAsync(cost.Wanted, cost.Minimum, cancellationToken).ConfigureAwait(false);
        if (reservation is null)
        {
            throw new SpecSynthException(ErrorKind.BudgetExceeded,
                BudgetExceededMessage.For(provider, budget.Model, cost, grant, budget.Ledger.Options));
        }
        var cap = cost.OutputCapFor(reservation.Nanos);
        if (cap >= maxOutput)
        {
            return (reservation, options);
        }
        var capped = options?.Clone() ?? new ChatOptions();
        capped.MaxOutputTokens = cap;
        return (reservation, capped);
    }
}
