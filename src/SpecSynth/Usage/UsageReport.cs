namespace SpecSynth.Usage;

/// <summary>What <c>specsynth usage</c> shows: the totals per group (empty without <c>--by</c>) and overall.</summary>
/// <param name="Groups">One entry per group key, ordered by key.</param>
/// <param name="Total">All the selected rows.</param>
internal sealed record UsageReport(IReadOnlyList<UsageTotals> Groups, UsageTotals Total);
