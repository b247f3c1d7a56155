using Microsoft.Extensions.Logging;

namespace SpecSynth.Jobs;

/// <summary>Where a run's events go: the request's progress (if any) and the logger (if any). Thread-safe as its targets are.</summary>
internal sealed class EventSink(IProgress<SpecSynthEvent>? progress, ILogger? logger, string? spec = null)
{
    /// <summary>The same targets, tagging every event with <paramref name="specName"/>.</summary>
    public EventSink ForSpec(string? specName) => new(progress, logger, specName);

    public void Report(SpecSynthEvent e)
    {
        e = spec is null || e.Spec is not null ? e : e with { Spec = spec };
        if (logger is not null && e is not ReplyDeltaEvent and not CheckOutputEvent)
        {
            logger.Log(e is WarningEvent ? LogLevel.Warning : LogLevel.Debug, "{Event}", e);
        }
        progress?.Report(e);
    }

    public void Warning(string message) => Report(new WarningEvent(message));
}
