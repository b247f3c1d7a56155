namespace SpecSynth.Budget;

/// <summary>Money held for one request until it is settled (<see cref="BudgetLedger.SettleAsync"/>).</summary>
/// <param name="Nanos">The amount held in every window, in nano-USD.</param>
/// <param name="Run">The run window, or <c>null</c> when there is no run budget.</param>
/// <param name="Calendar">The day/month windows it was taken from.</param>
/// <param name="InRedis">Whether the team counters in Redis hold it too.</param>
internal sealed record BudgetReservation(long Nanos, BudgetWindow? Run, IReadOnlyList<BudgetWindow> Calendar, bool InRedis)
{
    /// <summary>A reservation of nothing (no budget applies).</summary>
    public static BudgetReservation None { get; } = new(0, null, [], false);
}
