using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Renders the service's events on stderr, as the CLI always printed them: routing, resilience, warning and history lines
/// always; for one spec without <c>--json</c>, the reply's progress (live on a terminal, plain lines otherwise), the stages
/// after it (<see cref="StageProgress"/>) and "writing N files"; for several specs, each spec's summary, error and repair
/// rounds. Thread-safe.
/// </summary>
internal sealed class RunEventView(CliHost host, bool json, bool several, bool dryRun = false) : IProgress<SpecSynthEvent>, IDisposable
{
    private readonly Lock _gate = new();
    private string _provider = "";
    private IReplyView? _reply;
    private StageProgress? _stages;
    private LiveStageView? _liveStages;

    public void Report(SpecSynthEvent value)
    {
        switch (value)
        {
            case RoutingEvent r:
                host.Error.WriteLine($"routing: {r.Operation} -> {r.Target} ({r.Reason})");
                return;
            case ResilienceNoticeEvent e:
                host.Error.WriteLine("resilience: " + e.Event);
                return;
            case WarningEvent w:
                host.Error.WriteLine("warning: " + w.Message);
                return;
            case HistoryEvent h:
                host.Error.WriteLine("history: " + h.Message);
                return;
            case BatchEvent b:
                host.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch {b.BatchId} ({b.Provider} {b.RemoteId}): {b.Status}, " +
                    $"{b.Succeeded} succeeded, {b.Failed} failed of {b.Requests}, {b.Elapsed.TotalSeconds:0}s"));
                return;
            case SpecFailedEvent f:
                host.Error.WriteLine($"error: {f.Spec}: {f.Message}");
                return;
        }
        if (json)
        {
            return;
        }
        if (several)
        {
            switch (value)
            {
                case SpecCompletedEvent c:
                    host.Error.WriteLine($"{c.Result.Spec}: {GenerateOutput.Summary(dryRun, c.Result)}");
                    break;
                case RepairRoundResultEvent r:
                    host.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repair round {r.Round}: resent {r.ResentFiles} files, " +
                        $"{r.DiagnosticsLeft} diagnostics left{(r.CheckPassed is { } passed ? $", check {(passed ? "passed" : "failed")}" : "")}"));
                    break;
            }
            return;
        }
        lock (_gate)
        {
            Single(value);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            EndReply();
            EndStages();
        }
    }

    private void Single(SpecSynthEvent value)
    {
        switch (value)
        {
            case ReplyStartedEvent s:
                EndReply();
                _provider = $"{s.Provider}/{s.Model}";
                _reply = host.Live ? new LiveProgressView(host, s.Provider, s.Model) : new ProgressReporter(host, s.Provider, s.Model);
                break;
            case ReplyDeltaEvent d when _stages is not null:
                _stages.Report(d.Delta);
                break;
            case ReplyDeltaEvent d:
                _reply?.Report(d.Delta);
                break;
            case ReplyRestartedEvent:
                _reply?.Restarted();
                break;
            case ReplyFinishedEvent f:
                _reply?.Finish(f.OutputTokens);
                _reply = null;
                break;
            case StagesFinishedEvent:
                EndStages();
                break;
            case StageEvent stage:
                Stage(stage);
                break;
            case ScanningEvent s:
                host.Error.WriteLine($"scanning {s.Folder}");
                break;
            case ScannedEvent s:
                host.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"scanned {s.Files} file{(s.Files == 1 ? "" : "s")} for context, {s.Elapsed.TotalSeconds:0.0} s"));
                break;
            case ContextPlannedEvent p:
                host.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"planned {p.PromptTokens:N0} prompt tokens: {p.WholeFiles} file{(p.WholeFiles == 1 ? "" : "s")} whole, {p.Outlines} as outline{(p.Outlines == 1 ? "" : "s")}, {p.Elapsed.TotalSeconds:0.0} s"));
                break;
            case WritingFilesEvent w:
                host.Error.WriteLine($"writing {w.Count} file{(w.Count == 1 ? "" : "s")} to {w.OutputRoot}");
                break;
        }
    }

    private void Stage(StageEvent stage)
    {
        if (_stages is null)
        {
            EndReply();
            if (host.Live)
            {
                _liveStages = new LiveStageView(host);
                _stages = new StageProgress(host, _provider, _liveStages.Line, _liveStages.Show);
            }
            else
            {
                _stages = new StageProgress(host, _provider, host.Error.WriteLine, null);
            }
        }
        switch (stage)
        {
            case ValidatingEvent v:
                _stages.Validating(v.Round, v.Files);
                break;
            case CheckRunningEvent c:
                _stages.CheckStarted(c.Round, c.Command);
                break;
            case CheckOutputEvent o:
                _stages.CheckOutput(o.Line);
                break;
            case CheckFinishedEvent f:
                _stages.CheckFinished(f.Result);
                break;
            case RepairRoundEvent r:
                _stages.Repairing(r.Round, r.MaxRounds, r.Errors, r.CheckFailed);
                break;
            case SelfReviewEvent:
                _stages.Reviewing();
                break;
        }
    }

    private void EndReply()
    {
        _reply?.Dispose();
        _reply = null;
    }

    private void EndStages()
    {
        _stages?.Dispose();
        _stages = null;
        _liveStages?.Dispose();
        _liveStages = null;
    }
}
