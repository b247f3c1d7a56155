namespace SpecSynth.Budget;

/// <summary>What a store reserved: <see cref="Granted"/> nano-USD, or nothing (0) and the window that lacked money.</summary>
/// <param name="Granted">The amount reserved in every window (0 when refused).</param>
/// <param name="Short">The window with the least money left (the one that refused, when refused).</param>
/// <param name="LeftNanos">What was left in <see cref="Short"/> before this reservation.</param>
internal sealed record BudgetGrant(long Granted, BudgetWindow? Short, long LeftNanos)
{
    /// <summary>Whether the reservation was refused.</summary>
    public bool Refused => Granted == 0;

    /// <summary>Decides a reservation from what the windows have left: all of <paramref name="wanted"/> when every window has it,
    /// else as much as the poorest window has if that is at least <paramref name="minimum"/>, else nothing.</summary>
    public static BudgetGrant Decide(IReadOnlyList<(BudgetWindow Window, long Used)> windows, long wanted, long minimum)
    {
        if (windows.Count == 0)
        {
            return new BudgetGrant(wanted, null, long.MaxValue);
        }
        var (poorest, used) = windows.MinBy(w => w.Window.LimitNanos - w.Used);
        var left = poorest.LimitNanos - used;
        var granted = left >= wanted ? wanted : left >= minimum ? left : 0;
        return new BudgetGrant(granted, poorest, left);
    }
}
