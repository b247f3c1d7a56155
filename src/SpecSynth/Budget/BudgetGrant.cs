namespace SpecSynth.Budget;

/// <summary>What a store reserved: <see cref="Granted"/> nano-USD, or nothing (0) and the window that lacked money.</summary>
/// <param name="Granted">The amount reserved in every window (0 when refused).</param>
/// <param name="Short">The window with the least money left (the one that refused, when refused).</param>
/// <param name="LeftNanos">What was left in <see cref="Short"/> before this reservation.</param>
internal sealed record BudgetGrant(long Granted, BudgetWindow? Short, long LeftNanos)
{
    /// <summary>A lease is at most this fraction (1/16) of what the poorest window has left when it is taken.</summary>
    public const int LeaseShare = 16;

    /// <summary>Whether the reservation was refused.</summary>
    public bool Refused => Granted == 0;

    /// <summary>
    /// Decides a reservation from what the windows have left: all of <paramref name="wanted"/> when every window has it,
    /// else as much as the poorest window has if that is at least <paramref name="minimum"/>, else nothing.
    /// A caller may ask for a <paramref name="lease"/> (more than <paramref name="wanted"/>, to serve later requests from
    /// memory) and may hold <paramref name="held"/> nano-USD of these windows unassigned (counted in <c>Used</c>): what it
    /// holds counts as left, and the grant replaces it (the counters change by <c>Granted - held</c>). The lease is granted,
    /// shrunk to 1/<see cref="LeaseShare"/> of what is left, while that share still pays for <paramref name="wanted"/>;
    /// else the request alone is decided as above, so near a limit the answer is the one a caller holding nothing gets.
    /// </summary>
    public static BudgetGrant Decide(IReadOnlyList<(BudgetWindow Window, long Used)> windows, long wanted, long minimum,
        long lease = 0, long held = 0)
    {
        if (windows.Count == 0)
        {
            return new BudgetGrant(wanted, null, long.MaxValue);
        }
        // A loop, not MinBy: no enumerator per request; the first of equally poor windows, as MinBy.
        var (poorest, used) = windows[0];
        for (var i = 1; i < windows.Count; i++)
        {
            if (windows[i].Window.LimitNanos - windows[i].Used < poorest.LimitNanos - used)
            {
                (poorest, used) = windows[i];
            }
        }
        var left = poorest.LimitNanos - used + held;
        var share = left / LeaseShare;
        var granted = lease > wanted && share >= wanted ? Math.Min(lease, share)
            : left >= wanted ? wanted : left >= minimum ? left : 0;
        return new BudgetGrant(granted, poorest, left);
    }
}
