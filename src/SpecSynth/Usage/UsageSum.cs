using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Usage;

/// <summary>
/// The usage reports of one call added up as they arrive, field by field, so the call keeps no list of them:
/// <see cref="ToTokenUsage"/> is what <see cref="UsageMapper.FromUsageDetails"/> gives for their sum (a
/// <see cref="UsageDetails"/> each report is added to, in order, as <c>ToChatResponse</c> does). A mutable struct: keep it
/// in a field, never copy it.
/// </summary>
internal struct UsageSum
{
    private long _input;
    private long _output;
    private long _cacheRead;
    private long _cacheWrite;
    private bool _any;
    private bool _counted;

    /// <summary>Adds one report.</summary>
    public void Add(UsageDetails usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        _input += usage.InputTokenCount ?? 0;
        _output += usage.OutputTokenCount ?? 0;
        _cacheRead += usage.CachedInputTokenCount ?? 0;
        _cacheWrite += usage.AdditionalCounts is { } counts && counts.TryGetValue(UsageMapper.CacheWriteKey, out var write) ? write : 0;
        _any = true;
        _counted |= usage.InputTokenCount is not null || usage.OutputTokenCount is not null;
    }

    /// <summary>Whether a report so far had an input or an output count (their sum's counts are not both <c>null</c>).</summary>
    public readonly bool Counted => _counted;

    /// <summary>Forgets every report (a restarted stream reports afresh).</summary>
    public void Clear() => this = default;

    /// <summary>The billed tokens of the reports so far; <see cref="TokenUsage.Zero"/> when there was none.</summary>
    public readonly TokenUsage ToTokenUsage() =>
        _any ? new TokenUsage(Math.Max(0, _input - _cacheRead - _cacheWrite), _output, _cacheWrite, _cacheRead) : TokenUsage.Zero;
}
