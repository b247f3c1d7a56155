using SpecSynth.Config;
using SpecSynth.Generation;
using SpecSynth.Prompting;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;
using SpecSynth.Validation;
using SpecSynth.Generation.Repair;
using SpecSynth.Telemetry;
using Microsoft.Extensions.Logging;

namespace SpecSynth.Jobs;

/// <summary>Generates one spec against a scanned project, verifies (and repairs) the files, and writes (or plans)
/// them. Thread-safe: concurrent jobs share the client; their writes are serialised so journal entries and files
/// never interleave.</summary>
internal sealed class GenerateJob : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly RunSetup _run;
    private readonly ProjectContext _project;
    private readonly string _outputRoot;
    private readonly GenerateRequest _flags;
    private readonly LlmCodeGenerator _generator;
    private readonly Edits.EditPolicy _edits;
    private readonly Lock _journalGate = new();
    private Task<JournalLookup>? _journalRuns;
    private WriteJournal? _journal;
    private WrittenHashes? _written;
    private ProtectedFiles? _protected;
    private string? _realRoot;
    private string? _projectKey;
    private History.ConversationStore? _history;

    /// <param name="run">The resolved run.</param>
    /// <param name="project">The scanned context folder.</param>
    /// <param name="outputRoot">The full output folder.</param>
    /// <param name="flags">The run's flags (dry run, check, repair, history…).</param>
    public GenerateJob(RunSetup run, ProjectContext project, string outputRoot, GenerateRequest flags)
    {
        (_run, _project, _outputRoot, _flags) = (run, project, outputRoot, flags);
        if (flags.EditFormat is { } format && Edits.EditPolicy.Parse(format) is null)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"Unknown edit format '{format}' (known: auto, whole, edit).");
        }
        _edits = Edits.EditPolicy.From(run.Config.Edits, flags.EditFormat);
        var prompts = new PromptBuilder(PromptTemplates.Load(run.ProjectDir));
        _generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, prompts)
        {
            Limits = run.Provider.Limits,
            StateDir = run.Env.Services.StateDir,
            RememberTokenCounts = run.Config.Context.Index,
            Ranker = new EmptyProjectRanker(() =>
                new Context.Relevance.RelevanceRanker(null, Context.Index.ContextIndex.For(run.Env.Services.StateDir, run.Config.Context, run.Env.Time,
                    run.Env.IndexDeferral))),
            ContextBudget = run.Config.Context.Budget,
            Logger = run.Env.Services.Logs.CreateLogger(Categories.Context),
            Time = run.Env.Time,
        };
    }

    /// <summary>The full paths of the run's specs: a reply may not rewrite them (resolved at the run's first write).</summary>
    public IReadOnlyList<string> Specs { get; init; } = [];

    /// <summary>Generates <paramref name="spec"/> (named <paramref name="specPath"/>), reporting to <paramref name="sink"/>; in a
    /// batch run, <paramref name="ticket"/> sends its generate request into the batch.</summary>
    public async Task<GenerateOutcome> RunAsync(string specPath, Specification spec, EventSink sink, CancellationToken cancellationToken,
        Batching.BatchTicket? ticket = null)
    {
        var label = _run.SpecLabel(specPath);
        using var stage = Stage.Begin("specsynth.spec", _run.Env.Services.Logs.CreateLogger(Categories.Run), _run.Env.Time)
            .Tag("specsynth.spec", label);
        // The replies of this spec (generation, repairs, review, compaction) are cached only once its files are accepted.
        using var accepted = Caching.ResponseCacheCommit.Begin();
        var history = await GenerateHistory.BeginAsync(_run, ProjectKey(), HistoryStore(), sink, specPath, spec, _flags.Continue, _flags.HistoryBudget, cancellationToken)
            .ConfigureAwait(false);
        var project = await history.ContextAsync(_project, () => JournalRunsAsync(cancellationToken)).ConfigureAwait(false);
        var edits = await history.LocalEditsAsync(_project, _outputRoot, () => JournalRunsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        GeneratedCode generated;
        Batching.BatchScope.Current = ticket;
        try
        {
            generated = await _generator.GenerateCodeAsync(spec, project,
                history.Apply(_run.Options(new ReplyProgress(sink), _outputRoot) with
                {
                    Spec = label,
                    RealOutputRoot = RealRoot(),
                    LocalEdits = edits,
                    Edits = _edits,
                    OnPlanned = (tokens, whole, outlines, elapsed) =>
                    {
                        sink.Report(new ContextPlannedEvent(tokens, whole, outlines, elapsed));
                        sink.Report(new ReplyStartedEvent(_run.Provider.Name, _run.Provider.Model));
                    },
                }), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Repairs and reviews are normal requests.
            Batching.BatchScope.Current = null;
            ticket?.Finish();
        }
        // The batched reply costs half (the batch APIs' price); its repairs cost the normal price.
        var batchDiscount = ticket is { Answered: true } && !generated.CacheHit ? _run.Provider.Cost(generated.Provider, generated.TokensUsed) / 2 : 0m;
        sink.Report(new ReplyFinishedEvent(generated.TokensUsed.OutputTokens, generated.Files.Count + generated.EditFailures.Count));
        Context.Tokens.UsageCalibration.Observe(_run.Env.Services.StateDir, generated.Provider, generated.Model, generated.Prompt,
            generated.TokensUsed, generated.CacheHit, severalCalls: _run.Events.Events.Any(e => e.Kind == "continuation"));
        VerifiedGeneration verified;
        try
        {
            // --batch-repairs: the first repair request goes into the run's repair batch (later ones are normal requests).
            Batching.BatchScope.Current = ticket?.Repair;
            verified = await VerifyAsync(spec, label, generated, sink, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Batching.BatchScope.Current = null;
            ticket?.Repair?.Finish();
            sink.Report(new StagesFinishedEvent());
        }
        var result = verified.Code;
        cancellationToken.ThrowIfCancellationRequested();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The output folder's real path is resolved at the run's first write and kept as the reference for the later
            // specs' files (each file is still resolved from the file system root when planned and when written).
            var plan = OutputPlan.Create(_outputRoot, RealRoot(), result.Files,
                _protected ??= ProtectedFiles.Resolve(Specs));
            var written = await WrittenAsync(cancellationToken).ConfigureAwait(false);
            var edited = plan.Files.Where(f => f.Action == FileAction.Modified && f.OldBytes is { } old && written.Edited(f.Path, old))
                .Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            string? runId = null;
            if (!_flags.DryRun)
            {
                var changed = plan.Files.Count(f => f.Action != FileAction.Unchanged);
                sink.Report(new WritingFilesEvent(changed, _outputRoot));
                var journal = Journal();
                var log = _run.Env.Services.Logs.CreateLogger(Categories.Output);
                using (var write = Stage.Begin("specsynth.write", log, _run.Env.Time).Tag("specsynth.files", changed))
                {
                    Log.Writing(log, changed, _outputRoot);
                    runId = await new SafeFileWriter(journal).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
                    Log.Written(log, runId ?? "(none)");
                }
                foreach (var file in plan.Changes)
                {
                    written.Record(file.Path, file.NewBytes);
                }
            }
            await accepted.CommitAsync(sink.Warning, CancellationToken.None).ConfigureAwait(false);
            var outcome = new GenerateOutcome(specPath, result, plan, runId, result.CacheHit ? 0m : _run.Provider.Cost(result.Provider, result.TokensUsed) - batchDiscount, verified)
            {
                Route = _run.Route,
                LocalEdits = edited,
            };
            return _flags.DryRun ? outcome : outcome with { ConversationId = history.Record(outcome) };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writeLock.Dispose();
        _history?.Dispose();
    }

    /// <summary>The output folder's real path (<see cref="Output.PathGuard.RealRoot"/>), resolved by the run's first spec and kept
    /// as the reference the later specs' files must stay inside (issue 19: it was resolved again, ~4 <c>readlink</c> and 4
    /// <c>lstat</c>, by each spec's reply and again by its plan). Every file's path is still resolved from the file system root
    /// when its reply is applied, when it is planned and just before it is written: an output folder replaced by a link
    /// later in the run is refused, not followed.</summary>
    private string RealRoot()
    {
        lock (_journalGate)
        {
            return _realRoot ??= PathGuard.RealRoot(PathGuard.FullRoot(_outputRoot));
        }
    }

    /// <summary>The project's conversation key (<see cref="History.ProjectKey.Project"/>), resolved once for the run, not for
    /// every spec (issue 19: 4 <c>readlink</c> and 4 <c>lstat</c> a spec). A key, not a write check.</summary>
    private string ProjectKey()
    {
        lock (_journalGate)
        {
            return _projectKey ??= History.ProjectKey.Project(_run.ProjectDir);
        }
    }

    /// <summary>The run's conversation store: one connection for every spec of the run (issue 19), closed with the job.</summary>
    private History.ConversationStore HistoryStore()
    {
        lock (_journalGate)
        {
            return _history ??= new History.ConversationStore(History.ConversationStore.DefaultPath(_run.Env.GetEnv), _run.Env.Time, keepOpen: true);
        }
    }

    /// <summary>The write journal's runs as the first spec that needs them found them: read and indexed once per run, not per spec.</summary>
    private Task<JournalLookup> JournalRunsAsync(CancellationToken cancellationToken)
    {
        var journal = Journal();
        lock (_journalGate)
        {
            return _journalRuns ??= ListAsync(journal, cancellationToken);
        }

        static async Task<JournalLookup> ListAsync(WriteJournal journal, CancellationToken cancellationToken) =>
            new(await journal.ListAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One journal for the run, so an unreadable manifest is warned about once.</summary>
    private WriteJournal Journal()
    {
        lock (_journalGate)
        {
            return _journal ??= new(_run.Env.Services.StateDir, _run.Env.Time) { OnWarning = _run.Sink.Warning };
        }
    }

    /// <summary>What specsynth last wrote in the output folder (before this run, then updated with this run's writes), to
    /// tell files with local edits; made once per run, under the write lock.</summary>
    private async Task<WrittenHashes> WrittenAsync(CancellationToken cancellationToken) =>
        _written ??= WrittenHashes.For(_outputRoot, (await JournalRunsAsync(cancellationToken).ConfigureAwait(false)).Runs);

    private async Task<VerifiedGeneration> VerifyAsync(Specification spec, string label, GeneratedCode generated, EventSink sink,
        CancellationToken cancellationToken)
    {
        var stages = new StageEvents(sink);
        var validator = new CodeValidator(_run.Env.Time, new ValidationOptions { ExternalCheckers = _run.Config.Validate });
        var options = new RepairOptions
        {
            Logger = _run.Env.Services.Logs.CreateLogger(Categories.Validation),
            MaxRounds = _flags.RepairRounds,
            CheckCommand = _flags.Check,
            Check = new CheckOptions { Timeout = _flags.CheckTimeout },
            Generation = _run.Options(stages, _outputRoot) with { Spec = label, Edits = _edits },
            Progress = stages,
        };
        var prompt = generated.Prompt ?? throw new InvalidOperationException("the generator returned no prompt to repair in");
        var verified = await new GenerationVerifier(_run.Provider.Client, validator, options)
            .VerifyAsync(prompt, generated, spec, _outputRoot, _flags.SelfReview, cancellationToken).ConfigureAwait(false);
        foreach (var round in verified.Repair.Rounds.Skip(1))
        {
            sink.Report(new RepairRoundResultEvent(round.Number, round.ResentFiles.Count, round.Diagnostics.Count, round.Check?.Passed));
        }
        if (!verified.Repair.Valid)
        {
            var cause = Cause(verified.Repair);
            if (!_flags.WriteInvalid)
            {
                throw new SpecSynthException(ErrorKind.UnusableOutput,
                    $"{cause} The files are still invalid after {verified.Repair.RoundsUsed} repair rounds; nothing was written " +
                    "(--write-invalid writes them anyway).");
            }
            sink.Warning($"writing files that are still invalid (--write-invalid). {cause}");
        }
        return verified;
    }

    /// <summary>Why the files are still invalid, the real cause first: the failed check (with its last output line),
    /// then the first errors. Notes such as "not validated" are not causes and are left out.</summary>
    private static string Cause(RepairResult repair)
    {
        var parts = new List<string>();
        if (repair.Check is { Passed: false } c)
        {
            var how = c.TimedOut ? "timed out" : $"failed (exit {c.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})";
            var last = c.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
            parts.Add($"The check '{c.Command}' {how}{(last is null ? "" : ": " + (last.Length > 300 ? last[..299] + "…" : last))}.");
        }
        var errors = repair.Validation.SelectMany(v => v.Diagnostics).Where(d => d.Severity == Diagnostic.Error).Take(5).Select(d => d.ToString()).ToList();
        if (errors.Count > 0)
        {
            parts.Add("Errors: " + string.Join("; ", errors) + ".");
        }
        return parts.Count > 0 ? string.Join(" ", parts) : "The files did not pass validation.";
    }
}
