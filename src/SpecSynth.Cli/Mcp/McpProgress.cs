using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SpecSynth.Cli.Mcp;

/// <summary>
/// Turns a run's <see cref="SpecSynthEvent"/>s into MCP progress notifications for the call's progress token (reply tokens,
/// files, validation, checks, repair rounds, retries, warnings), in the order of the run. Warnings also go to stderr.
/// Without a token (the client asked for no progress) only stderr hears them.
/// </summary>
internal sealed class McpProgress(McpServer server, ProgressToken? token, TextWriter log) : IProgress<SpecSynthEvent>
{
    private const int DeltaStep = 2000;
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;
    private int _count;
    private long _replyChars;

    public void Report(SpecSynthEvent value)
    {
        if (value is WarningEvent warning)
        {
            log.WriteLine("warning: " + warning.Message);
        }
        if (token is not { } progressToken || Message(value) is not { } message)
        {
            return;
        }
        lock (_gate)
        {
            var step = new ProgressNotificationValue { Progress = ++_count, Message = message };
            _tail = SendAfterAsync(_tail, progressToken, step);
        }
    }

    /// <summary>Waits until every notification reported so far was sent (before the call's result goes out).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }

    private async Task SendAfterAsync(Task previous, ProgressToken progressToken, ProgressNotificationValue step)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await server.NotifyProgressAsync(progressToken, step, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A notification that cannot be sent (the client went away) must not fail the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await log.WriteLineAsync("warning: a progress notification could not be sent: " + ex.Message).ConfigureAwait(false);
        }
    }

    private string? Message(SpecSynthEvent value)
    {
        switch (value)
        {
            case ReplyDeltaEvent delta:
                var before = _replyChars / DeltaStep;
                _replyChars += delta.Delta.Length;
                return _replyChars / DeltaStep > before ? $"receiving the reply: {N(_replyChars)} characters" : null;
            case ReplyRestartedEvent:
                _replyChars = 0;
                return "the reply restarted (retry)";
            default:
                return value switch
                {
                    ScanningEvent s => $"scanning {s.Folder}",
                    ScannedEvent s => $"scanned {N(s.Files)} files for context",
                    ContextPlannedEvent p => $"planned {N(p.PromptTokens)} prompt tokens ({N(p.WholeFiles)} files whole, {N(p.Outlines)} outlines)",
                    ReplyStartedEvent s => $"asking {s.Provider} ({s.Model})",
                    ReplyFinishedEvent f => $"reply received: {N(f.OutputTokens)} output tokens, {N(f.Files)} files",
                    ValidatingEvent v => $"validating {N(v.Files)} files (round {N(v.Round)})",
                    CheckRunningEvent c => $"running the check '{c.Command}' (round {N(c.Round)})",
                    CheckFinishedEvent c => c.Result.Passed ? "check passed" : "check failed",
                    RepairRoundEvent r => $"repair round {N(r.Round)} of {N(r.MaxRounds)}: {N(r.Errors)} errors{(r.CheckFailed ? ", check failed" : "")}",
                    RepairRoundResultEvent r => $"repair round {N(r.Round)}: {N(r.ResentFiles)} files resent, {N(r.DiagnosticsLeft)} diagnostics left",
                    SelfReviewEvent => "self-review",
                    WritingFilesEvent w => $"writing {N(w.Count)} files",
                    ResilienceNoticeEvent r => "resilience: " + r.Event,
                    RoutingEvent r => $"routing {r.Operation} to {r.Target}: {r.Reason}",
                    WarningEvent w => "warning: " + w.Message,
                    HistoryEvent h => h.Message,
                    SpecFailedEvent f => $"failed ({f.Kind}): {f.Message}",
                    _ => null,
                };
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
