namespace SpecSynth.Usage;

/// <summary>What <c>specsynth usage</c> shows: the totals per group (empty without <c>--by</c>) and overall.</summary>
/// <param name="Groups">One entry per group key, ordered by key.</param>
/// <param name="Total">All the selected rows.</param>
public sealed record UsageReport(IReadOnlyList<UsageTotals> Groups, UsageTotals Total)
{
    /// <summary>The usage ledger (<c>usage.db</c> in the state folder; it may not exist yet).</summary>
    /// <param name="environment">Reads an environment variable (<c>SPECSYNTH_HOME</c>, XDG); <c>null</c> for the process environment.</param>
    public static string LedgerPath(Func<string, string?>? environment = null) =>
        UsageLedger.DefaultPath(environment ?? Environment.GetEnvironmentVariable);

    /// <summary>Totals the calls recorded in the usage ledger.</summary>
    /// <param name="since">Only calls at or after this instant, or <c>null</c> for all.</param>
    /// <param name="by">Also total per provider, model, UTC day, spec or operation; <c>null</c> for the overall totals only.</param>
    /// <param name="project">Only calls made for this project folder (full path), or <c>null</c> for every project.</param>
    /// <param name="environment">Reads an environment variable (the state folder); <c>null</c> for the process environment.</param>
    public static UsageReport Query(DateTimeOffset? since = null, UsageGrouping? by = null, string? project = null,
        Func<string, string?>? environment = null)
    {
        using var ledger = new UsageLedger(LedgerPath(environment));
        return ledger.Report(since, by, project);
    }

    /// <summary>Reads a <c>--since</c> value: a UTC date (<c>2026-12-01</c>), a UTC time (<c>2026-12-01T08:00:00Z</c>), or a
    /// span back from now (<c>7d</c>, <c>24h</c>, <c>30m</c>).</summary>
    /// <param name="text">The value.</param>
    /// <param name="timeProvider">The clock "now" is read from.</param>
    /// <exception cref="SpecSynthException">Not one of the accepted forms (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static DateTimeOffset ParseSince(string text, TimeProvider timeProvider) => UsageSince.Parse(text, timeProvider);
}
