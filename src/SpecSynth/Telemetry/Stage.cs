using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SpecSynth.Telemetry;

/// <summary>
/// One stage of a run (scan, rank, plan, validate, a repair round, the check, write): a span of specsynth's
/// <see cref="Instruments.Source"/> under the current one and a Debug log line when it starts and ends, with its duration on
/// the run's clock. Disposing it ends the stage.
/// </summary>
internal sealed class Stage : IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly LogLevel _level;
    private bool _failed;

    private Stage(string name, ILogger logger, TimeProvider time, LogLevel level)
    {
        (Name, _logger, _time, _level) = (name, logger, time, level);
        _started = time.GetTimestamp();
        Activity = Instruments.Start(name);
        Log.StageStarted(logger, level, name);
    }

    /// <summary>The span name (e.g. <c>specsynth.scan</c>).</summary>
    public string Name { get; }

    /// <summary>The span, or <c>null</c> when nobody listens.</summary>
    public Activity? Activity { get; }

    /// <summary>Starts stage <paramref name="name"/>, logged at <paramref name="level"/> (Debug; a whole run at Information).</summary>
    public static Stage Begin(string name, ILogger logger, TimeProvider time, LogLevel level = LogLevel.Debug) => new(name, logger, time, level);

    /// <summary>Sets an attribute on the span (nothing when nobody listens).</summary>
    public Stage Tag(string key, object? value)
    {
        Activity?.SetTag(key, value);
        return this;
    }

    /// <summary>Marks the stage failed with <paramref name="exception"/>; returns <c>false</c>, for an exception filter
    /// (<c>catch (Exception ex) when (stage.Failed(ex))</c> records and lets the exception go on).</summary>
    public bool Failed(Exception exception)
    {
        _failed = true;
        Instruments.Fail(Activity, exception);
        Log.StageFailed(_logger, _level, Name, exception is SpecSynthException s ? s.Kind.ToString() : exception.GetType().Name);
        return false;
    }

    public void Dispose()
    {
        if (!_failed)
        {
            Log.StageFinished(_logger, _level, Name, _time.GetElapsedTime(_started).TotalMilliseconds);
        }
        Activity?.Dispose();
    }
}
