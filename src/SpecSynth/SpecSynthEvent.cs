using SpecSynth.Middleware;
using SpecSynth.Validation;

namespace SpecSynth;

/// <summary>
/// What a running job reports through <see cref="IProgress{T}"/> (the request's <c>Progress</c>), in order, so a host can
/// render it: the CLI turns these events into its stderr lines and live views. Reported synchronously on the job's thread
/// (check output lines may come from another thread); a handler must be quick and thread-safe.
/// </summary>
/// <remarks><see cref="Spec"/> names the spec an event belongs to in a run of several specs (<c>null</c> for the run).</remarks>
public abstract record SpecSynthEvent
{
    /// <summary>The spec (as given in the request) this event belongs to; <c>null</c> for run-wide events.</summary>
    public string? Spec { get; init; }
}

/// <summary><c>[routing]</c> chose the provider and model of the run (<c>routing: generate -> claude:… (small spec)</c>).</summary>
/// <param name="Operation">generate, explain or review.</param>
/// <param name="Target">The chosen <c>provider:model</c>.</param>
/// <param name="Reason">Why the rule applied.</param>
public sealed record RoutingEvent(string Operation, string Target, string Reason) : SpecSynthEvent;

/// <summary>A retry, wait, restart, fallback or continuation of the provider pipeline, as it happens.</summary>
/// <param name="Event">What happened (kept in the result's <c>Events</c> too).</param>
public sealed record ResilienceNoticeEvent(ResilienceEvent Event) : SpecSynthEvent;

/// <summary>A warning that does not stop the job (a skipped provider, a spec warning, a cache that could not be written…).</summary>
/// <param name="Message">The warning, without a <c>warning:</c> prefix.</param>
public sealed record WarningEvent(string Message) : SpecSynthEvent;

/// <summary>What <c>--continue</c> did with the conversation history (continued, summarised).</summary>
/// <param name="Message">The notice, without a <c>history:</c> prefix.</param>
public sealed record HistoryEvent(string Message) : SpecSynthEvent;

/// <summary>A spec's prompt was planned within the model's context window (reported before its request is sent).</summary>
/// <param name="PromptTokens">The planned prompt's tokens (template, spec and project context).</param>
/// <param name="WholeFiles">Project files sent whole.</param>
/// <param name="Outlines">Project files sent as outlines.</param>
/// <param name="Elapsed">How long ranking and planning took.</param>
public sealed record ContextPlannedEvent(int PromptTokens, int WholeFiles, int Outlines, TimeSpan Elapsed) : SpecSynthEvent;

/// <summary>The model request for a spec (or an explanation) is being sent.</summary>
/// <param name="Provider">The first provider of the chain.</param>
/// <param name="Model">Its model.</param>
public sealed record ReplyStartedEvent(string Provider, string Model) : SpecSynthEvent;

/// <summary>A piece of the streamed reply (of the generation, or of a repair or review request while <see cref="StageEvent"/>s run).</summary>
/// <param name="Delta">The text received.</param>
public sealed record ReplyDeltaEvent(string Delta) : SpecSynthEvent;

/// <summary>The stream started again from the beginning: forget what was received so far.</summary>
public sealed record ReplyRestartedEvent : SpecSynthEvent;

/// <summary>The reply is complete.</summary>
/// <param name="OutputTokens">The reply's output tokens.</param>
/// <param name="Files">The files detected in it.</param>
public sealed record ReplyFinishedEvent(long OutputTokens, int Files) : SpecSynthEvent;

/// <summary>A stage after the reply: validating, the check, a repair round, the self-review. Subtypes say which.</summary>
public abstract record StageEvent : SpecSynthEvent;

/// <summary>The files of round <paramref name="Round"/> (0: the first reply) are being validated.</summary>
/// <param name="Round">The round.</param>
/// <param name="Files">How many files.</param>
public sealed record ValidatingEvent(int Round, int Files) : StageEvent;

/// <summary>The <c>--check</c> command starts on round <paramref name="Round"/>'s files.</summary>
/// <param name="Round">The round.</param>
/// <param name="Command">The command.</param>
public sealed record CheckRunningEvent(int Round, string Command) : StageEvent;

/// <summary>A line the running check printed.</summary>
/// <param name="Line">The line.</param>
public sealed record CheckOutputEvent(string Line) : StageEvent;

/// <summary>The check command ended.</summary>
/// <param name="Result">How it ended.</param>
public sealed record CheckFinishedEvent(CheckResult Result) : StageEvent;

/// <summary>Repair round <paramref name="Round"/> of at most <paramref name="MaxRounds"/> is being asked for.</summary>
/// <param name="Round">The round.</param>
/// <param name="MaxRounds">The most rounds (<c>RepairRounds</c>).</param>
/// <param name="Errors">The errors to fix.</param>
/// <param name="CheckFailed">Whether the check failed.</param>
public sealed record RepairRoundEvent(int Round, int MaxRounds, int Errors, bool CheckFailed) : StageEvent;

/// <summary>The self-review request is being sent.</summary>
public sealed record SelfReviewEvent : StageEvent;

/// <summary>The stages of a spec are over (the verification finished, valid or not).</summary>
public sealed record StagesFinishedEvent : StageEvent;

/// <summary>What a repair round left, once the verification is over (for hosts that do not follow the stages live).</summary>
/// <param name="Round">The round (1 and up).</param>
/// <param name="ResentFiles">How many files the model resent.</param>
/// <param name="DiagnosticsLeft">Diagnostics left after it.</param>
/// <param name="CheckPassed">Whether the check passed after it; <c>null</c> without <c>--check</c>.</param>
public sealed record RepairRoundResultEvent(int Round, int ResentFiles, int DiagnosticsLeft, bool? CheckPassed) : SpecSynthEvent;

/// <summary>The files are about to be written (not reported for a dry run).</summary>
/// <param name="Count">Files created or modified.</param>
/// <param name="OutputRoot">The output folder.</param>
public sealed record WritingFilesEvent(int Count, string OutputRoot) : SpecSynthEvent;

/// <summary>A spec of a run of several finished (its files written, or planned for a dry run).</summary>
/// <param name="Result">Its result.</param>
public sealed record SpecCompletedEvent(GenerateResult Result) : SpecSynthEvent;

/// <summary>A spec of a run of several failed; the others go on.</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">The error (redacted).</param>
public sealed record SpecFailedEvent(ErrorKind Kind, string Message) : SpecSynthEvent;

/// <summary>The project folder is being scanned for context (once a run, before the first request).</summary>
/// <param name="Folder">The context folder.</param>
public sealed record ScanningEvent(string Folder) : SpecSynthEvent;

/// <summary>The scan of the project folder is over.</summary>
/// <param name="Folder">The context folder.</param>
/// <param name="Files">The files it found for context.</param>
/// <param name="Elapsed">How long the scan took.</param>
public sealed record ScannedEvent(string Folder, int Files, TimeSpan Elapsed) : SpecSynthEvent;

/// <summary>A batch of a <c>generate --batch</c> run was submitted, polled or ended (counts so far, elapsed time).</summary>
/// <param name="BatchId">specsynth's id (<c>specsynth batch resume ID</c>).</param>
/// <param name="Provider">The provider.</param>
/// <param name="RemoteId">The provider's batch id, or <c>null</c> before it is known.</param>
/// <param name="Status">The provider's status (<c>submitted</c> right after the create call).</param>
/// <param name="Requests">Requests in the batch.</param>
/// <param name="Succeeded">Requests that succeeded so far.</param>
/// <param name="Failed">Requests that errored, expired or were cancelled so far.</param>
/// <param name="Elapsed">Time since the submission.</param>
public sealed record BatchEvent(string BatchId, string Provider, string? RemoteId, string Status, int Requests, int Succeeded, int Failed,
    TimeSpan Elapsed) : SpecSynthEvent;
