using SpecSynth.Config;
using SpecSynth.Llm;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;
using SpecSynth.Validation;

namespace SpecSynth.Cli.Commands;

/// <summary>Generates one spec against a scanned project, verifies (and repairs) the files, and writes (or plans)
/// them. Thread-safe: concurrent jobs share the client; their writes are serialised so journal entries and files
/// never interleave.</summary>
internal sealed class GenerateJob : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CliHost _host;
    private readonly RunContext _run;
    private readonly ProjectContext _project;
    private readonly string _outputRoot;
    private readonly bool _dryRun;
    private readonly VerifyOptions _verify;
    private readonly PromptBuilder _prompts;
    private readonly LlmCodeGenerator _generator;
    private readonly Lock _journalGate = new();
    private Task<IReadOnlyList<JournalRun>>? _journalRuns;
    private WriteJournal? _journal;
    private WrittenHashes? _written;

    public GenerateJob(CliHost host, RunContext run, ProjectContext project, string outputRoot, bool dryRun, VerifyOptions verify)
    {
        (_host, _run, _project, _outputRoot, _dryRun, _verify) = (host, run, project, outputRoot, dryRun, verify);
        _prompts = new PromptBuilder(PromptTemplates.Load(run.ProjectDir));
        _generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, _prompts)
        {
            Limits = run.Provider.Limits,
            StateDir = StatePaths.StateDir(host.GetEnv),
            Ranker = new SpecSynth.Context.Relevance.RelevanceRanker(),
            ContextBudget = run.Config.Context.Budget,
        };
    }

    /// <summary>The history flags (<c>--continue</c>, <c>--history-budget</c>).</summary>
    public HistorySettings History { get; init; } = HistorySettings.None;

    /// <summary>The full paths of the run's specs: a reply may not rewrite them.</summary>
    public IReadOnlyList<string> Specs { get; init; } = [];

    public async Task<GenerateOutcome> RunAsync(string specPath, Specification spec, bool showProgress, CancellationToken cancellationToken)
    {
        var label = _run.SpecLabel(specPath);
        // The replies of this spec (generation, repairs, review, compaction) are cached only once its files are accepted.
        using var accepted = Caching.ResponseCacheCommit.Begin();
        var history = await GenerateHistory.BeginAsync(_host, _run, specPath, spec, History, cancellationToken).ConfigureAwait(false);
        var project = await history.ContextAsync(_project, () => JournalRunsAsync(cancellationToken)).ConfigureAwait(false);
        var edits = await history.LocalEditsAsync(_project, _outputRoot, () => JournalRunsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var generated = await GenerateAsync(showProgress,
            p => _generator.GenerateCodeAsync(spec, project, history.Apply(_run.Options(p, _outputRoot) with { Spec = label, LocalEdits = edits }),
                cancellationToken)).ConfigureAwait(false);
        SpecSynth.Context.Tokens.UsageCalibration.Observe(StatePaths.StateDir(_host.GetEnv), generated,
            severalCalls: _run.Events.Events.Any(e => e.Kind == "continuation"));
        var verified = showProgress
            ? await StageProgress.RunAsync(_host, _run.Provider, stages => VerifyAsync(spec, label, generated, stages, cancellationToken)).ConfigureAwait(false)
            : await VerifyAsync(spec, label, generated, null, cancellationToken).ConfigureAwait(false);
        var result = verified.Code;
        cancellationToken.ThrowIfCancellationRequested();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = OutputPlan.Create(_outputRoot, result.Files, Specs);
            var written = await WrittenAsync(cancellationToken).ConfigureAwait(false);
            var edited = plan.Files.Where(f => f.Action == FileAction.Modified && f.OldBytes is { } old && written.Edited(f.Path, old))
                .Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            string? runId = null;
            if (!_dryRun)
            {
                if (showProgress)
                {
                    var count = plan.Files.Count(f => f.Action != FileAction.Unchanged);
                    await _host.Error.WriteLineAsync($"writing {count} file{(count == 1 ? "" : "s")} to {_outputRoot}").ConfigureAwait(false);
                }
                var journal = Journal();
                runId = await new SafeFileWriter(journal).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
                foreach (var file in plan.Changes)
                {
                    written.Record(file.Path, file.NewBytes);
                }
            }
            await accepted.CommitAsync(w => _host.Error.WriteLine("warning: " + w), CancellationToken.None).ConfigureAwait(false);
            var outcome = new GenerateOutcome(specPath, result, plan, runId, result.CacheHit ? 0m : _run.Provider.Cost(result.Provider, result.TokensUsed), verified)
            {
                Route = _run.Route,
                LocalEdits = edited,
            };
            return _dryRun ? outcome : outcome with { ConversationId = await history.RecordAsync(outcome).ConfigureAwait(false) };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>The write journal's runs as the first spec that needs them found them: read once per run, not per spec
    /// (what this run writes is never an earlier generation of another of its specs).</summary>
    private Task<IReadOnlyList<JournalRun>> JournalRunsAsync(CancellationToken cancellationToken)
    {
        var journal = Journal();
        lock (_journalGate)
        {
            return _journalRuns ??= journal.ListAsync(cancellationToken);
        }
    }

    /// <summary>One journal for the run, so an unreadable manifest is warned about once.</summary>
    private WriteJournal Journal()
    {
        lock (_journalGate)
        {
            return _journal ??= new(StatePaths.StateDir(_host.GetEnv), _host.Time) { OnWarning = w => _host.Error.WriteLine("warning: " + w) };
        }
    }

    /// <summary>What specsynth last wrote in the output folder (before this run, then updated with this run's writes), to
    /// tell files with local edits; made once per run, under the write lock.</summary>
    private async Task<WrittenHashes> WrittenAsync(CancellationToken cancellationToken) =>
        _written ??= WrittenHashes.For(_outputRoot, await JournalRunsAsync(cancellationToken).ConfigureAwait(false));

    private async Task<VerifiedGeneration> VerifyAsync(Specification spec, string label, GeneratedCode generated, StageProgress? stages,
        CancellationToken cancellationToken)
    {
        var validator = new CodeValidator(new ValidationOptions { ExternalCheckers = _run.Config.Validate }, _host.Time);
        var options = new RepairOptions
        {
            MaxRounds = _verify.RepairRounds,
            CheckCommand = _verify.CheckCommand,
            Check = new CheckOptions { Timeout = _verify.CheckTimeout },
            Generation = _run.Options(stages, _outputRoot) with { Spec = label },
            Progress = stages,
        };
        var prompt = generated.Prompt ?? throw new InvalidOperationException("the generator returned no prompt to repair in");
        var verified = await new GenerationVerifier(_run.Provider.Client, validator, options)
            .VerifyAsync(prompt, generated, spec, _outputRoot, _verify.SelfReview, cancellationToken).ConfigureAwait(false);
        // With the stage view the rounds were shown as they happened; with --json nothing is.
        foreach (var round in stages is null && !_run.Json ? verified.Repair.Rounds.Skip(1) : [])
        {
            await _host.Error.WriteLineAsync($"repair round {round.Number}: resent {round.ResentFiles.Count} files, " +
                $"{round.Diagnostics.Count} diagnostics left{(round.Check is { } c ? $", check {(c.Passed ? "passed" : "failed")}" : "")}").ConfigureAwait(false);
        }
        if (!verified.Repair.Valid)
        {
            var cause = Cause(verified.Repair);
            if (!_verify.WriteInvalid)
            {
                throw new SpecSynthException(ErrorKind.UnusableOutput,
                    $"{cause} The files are still invalid after {verified.Repair.RoundsUsed} repair rounds; nothing was written " +
                    "(--write-invalid writes them anyway).");
            }
            await _host.Error.WriteLineAsync($"warning: writing files that are still invalid (--write-invalid). {cause}").ConfigureAwait(false);
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

    /// <summary>Runs the generation with the right progress view: none, live on a terminal, plain lines otherwise.</summary>
    private async Task<GeneratedCode> GenerateAsync(bool showProgress, Func<IProgress<string>?, Task<GeneratedCode>> generate)
    {
        if (!showProgress)
        {
            return await generate(null).ConfigureAwait(false);
        }
        if (_host.ErrorIsTerminal)
        {
            return await LiveProgressView.RunAsync(_host, _run.Provider, generate, r => r.TokensUsed).ConfigureAwait(false);
        }
        var plain = new ProgressReporter(_host, _run.Provider);
        var result = await generate(plain).ConfigureAwait(false);
        plain.Finish(result.TokensUsed);
        return result;
    }
}
