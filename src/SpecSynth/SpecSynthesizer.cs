using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SpecSynth.Batching;
using SpecSynth.Jobs;
using SpecSynth.Providers;
using SpecSynth.Generation;
using SpecSynth.Prompting;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;
using SpecSynth.Telemetry;

namespace SpecSynth;

/// <summary>The service: the composition root of a run (environment, clock, the host's client if any) and the jobs
/// behind <see cref="ISpecSynthesizer"/>.</summary>
internal sealed class SpecSynthesizer : ISpecSynthesizer
{
    /// <summary>The name of a spec given as text without a name.</summary>
    private const string DefaultSpecName = "spec.md";

    private readonly RunEnvironment _env;
    private readonly SpecSynthOptions _options;
    private readonly IChatClient? _hostClient;
    private readonly ILogger? _logger;

    public SpecSynthesizer(SpecSynthOptions options, TimeProvider time, IChatClient? hostClient, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        (_options, _hostClient, _logger) = (options, hostClient, logger);
        _env = RunEnvironment.From(options, time);
    }

    public async Task<GenerateResult> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        StartupWarmup.Process.Begin();
        using var stage = RunStage("specsynth.generate", request.DryRun);
        try
        {
            var sink = new EventSink(request.Progress, _logger);
            var (path, spec) = await ParseAsync(request, cancellationToken).ConfigureAwait(false);
            StartupWarmup.Process.BeginValidation([spec]);
            var gate = new SpecGate(request.AllowTemplate);
            gate.Add(path, spec);
            await using var run = await BeginAsync(request, gate, 1, [spec], sink, cancellationToken).ConfigureAwait(false);
            var outcome = await run.Job.RunAsync(path, spec, sink, cancellationToken).ConfigureAwait(false);
            return ToResult(request.DryRun, outcome, run.Project, spec, run.Setup.Events.Events);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    public async Task<GenerateAllResult> GenerateAllAsync(GenerateAllRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var flags = request.Options;
        var specRequests = request.Specs;
        IReadOnlyList<BatchInfo> resume = [];
        if (request.ResumeBatch is { } resumeId)
        {
            var store = BatchStore.In(_env.Services.StateDir);
            resume = store.Family(resumeId);
            if (resume.Count == 0 || store.Flags(resume[0].Id) is not { } stored)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"no batch '{resumeId}' in {_env.Services.StateDir} (specsynth batch list shows them)");
            }
            flags = BatchFlags.Apply(stored, flags);
            specRequests = [.. resume.SelectMany(b => b.Specs).GroupBy(s => s.Spec, StringComparer.Ordinal)
                .Where(g => !g.Any(s => s.State is "written" or "resubmitted")).Select(g => new GenerateRequest { SpecPath = g.Key })];
            if (specRequests.Count == 0)
            {
                return new GenerateAllResult([], [], []) { Batches = [.. resume.Select(b => store.Get(b.Id) ?? b)] };
            }
        }
        if (specRequests.Count == 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "Give at least one spec.");
        }
        using var stage = RunStage("specsynth.generate", flags.DryRun).Tag("specsynth.specs", specRequests.Count);
        try
        {
            return await GenerateAllAsync(request, flags, specRequests, resume, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    private async Task<GenerateAllResult> GenerateAllAsync(GenerateAllRequest request, GenerateRequest flags,
        IReadOnlyList<GenerateRequest> specRequests, IReadOnlyList<BatchInfo> resume, CancellationToken cancellationToken)
    {
        StartupWarmup.Process.Begin();
        var sink = new EventSink(flags.Progress, _logger);
        // Every spec is parsed and checked before any request, and then let go: a spec file keeps only the stamp of the
        // bytes checked (length and SHA-256) and is parsed again at its turn (10,000 parsed specs held as objects until
        // their turn were ~27 MB, packed ~4 MB of gen2 garbage by the end of the run).
        var specs = new CheckedSpecs(specRequests.Count, _env.FullPath);
        var gate = new SpecGate(flags.AllowTemplate);
        foreach (var spec in specRequests)
        {
            var (path, parsed, stamp) = await ParseCheckedAsync(spec, cancellationToken).ConfigureAwait(false);
            StartupWarmup.Process.BeginValidation([parsed]);
            gate.Add(path, parsed);
            if (stamp is { } checkedBytes)
            {
                specs.AddFile(path, checkedBytes);
            }
            else
            {
                specs.Add(path, parsed);
            }
        }
        var batch = BatchRunFor(request, flags, specs.Count, resume, sink);
        if (batch is not null)
        {
            flags = flags with { Stream = false };
        }
        await using var run = await BeginAsync(flags with { SpecPath = null, SpecText = null }, gate, specs.Count, specs.ReadAll(), sink,
            cancellationToken, new SpecFilePaths(specRequests, _env.FullPath), batch is not null).ConfigureAwait(false);
        var coordinator = batch is null ? null : new BatchCoordinator(batch, sink, specs.Count, cancellationToken);
        // Streamed (OnSpecDone): each outcome goes to the host as it comes, and only the counts (and, for an interruption,
        // the written specs' results without their contents) stay.
        using var streamed = request.OnSpecDone is not null ? new SpecDoneStream(request.OnSpecDone, specs.Count) : null;
        // Streamed: only a small record of each written spec (WrittenSpecs) is kept, for an interruption's message.
        var results = streamed is null ? new GenerateResult?[specs.Count] : null;
        var failures = streamed is null ? new GenerateFailure?[specs.Count] : null;
        var written = streamed is null ? null : new WrittenSpecs(specs.Count);
        // Streamed runs only (the CLI's): a run whose results are all kept to its end has other peaks than gen2's garbage.
        var heapTrim = streamed is not null && RunHeapTrim.Pays(specs.Count) ? new RunHeapTrim() : null;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, specs.Count),
                new ParallelOptions
                {
                    // In a batch every spec waits for the batch at once.
                    MaxDegreeOfParallelism = coordinator is null ? Math.Clamp(request.Concurrency, 1, 64) : specs.Count,
                    CancellationToken = cancellationToken,
                },
                async (i, ct) =>
                {
                    var path = specs.Paths[i];
                    var specSink = sink.ForSpec(path);
                    var ticket = coordinator?.Ticket(SpecKey(specRequests[i], path));
                    GenerateResult? result = null;
                    GenerateFailure? failure = null;
                    try
                    {
                        // Read and parsed again: a spec whose file changed since the check fails here, on its own.
                        var spec = await specs.ReadAsync(i, ct).ConfigureAwait(false);
                        var outcome = await run.Job.RunAsync(path, spec, specSink, ct, ticket).ConfigureAwait(false);
                        result = ToResult(flags.DryRun, outcome, run.Project, spec, null);
                        if (!flags.DryRun && ticket is not null)
                        {
                            coordinator!.Settle(ticket, null);
                        }
                        specSink.Report(new SpecCompletedEvent(result));
                    }
                    catch (SpecSynthException ex)
                    {
                        failure = new GenerateFailure(path, ex.Kind, SecretRedactor.Redact(ex.Message));
                        if (ticket is not null && ticket.Answered)
                        {
                            coordinator!.Settle(ticket, SecretRedactor.Redact(ex.Message));
                        }
                        specSink.Report(new SpecFailedEvent(ex.Kind, SecretRedactor.Redact(ex.Message)));
                    }
                    finally
                    {
                        ticket?.Finish();
                        ticket?.Repair?.Finish();
                    }
                    if (streamed is null)
                    {
                        (results![i], failures![i]) = (result, failure);
                        return;
                    }
                    specs.Release(i);
                    if (result is not null)
                    {
                        written!.Add(i, result);
                    }
                    heapTrim?.SpecDone();
                    await streamed.DoneAsync(new GenerateSpecDone(i, result, failure), ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && coordinator is { BatchIds.Count: > 0 })
        {
            // The batch keeps running at the provider: say how to collect it.
            throw new BatchInterruptedException(coordinator.BatchIds, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !flags.DryRun
            && (written?.Any ?? results!.Any(r => r?.JournalRun is not null)))
        {
            // Specs finished before the interruption stay written: say which.
            throw new GenerateInterruptedException([.. specs.Paths], written ?? (IReadOnlyList<GenerateResult?>)results!, cancellationToken);
        }
        var batches = batch is null ? null : coordinator!.BatchIds.Select(id => batch.Store.Get(id)).OfType<BatchInfo>().ToList();
        return streamed is null
            ? new GenerateAllResult(results!, failures!, run.Setup.Events.Events) { Batches = batches }
            : new GenerateAllResult([], [], run.Setup.Events.Events) { Batches = batches, Succeeded = streamed.Succeeded, Failed = streamed.Failed };
    }

    /// <summary>How the batch state names a spec: its full path, or its name when given as text.</summary>
    private string SpecKey(GenerateRequest request, string path) => request.SpecPath is { } p ? _env.FullPath(p) : path;

    /// <summary>The batch of this run, or <c>null</c> to run normally (not asked for, or a provider without a batch API:
    /// then one warning).</summary>
    private BatchRun? BatchRunFor(GenerateAllRequest request, GenerateRequest flags, int specs, IReadOnlyList<BatchInfo> resume, EventSink sink)
    {
        var (projectDir, config) = RunSetup.LoadConfig(_env, flags.ProjectRoot, Providers(flags.Providers), flags.Model);
        var wanted = request.Batch || request.ResumeBatch is not null || (config.Batch.Enabled && specs >= config.Batch.MinSpecs);
        if (!wanted)
        {
            return null;
        }
        var provider = _hostClient is null ? config.Providers.FirstOrDefault() : "the host's client";
        if (provider is not (ProviderIds.Claude or ProviderIds.OpenAI))
        {
            sink.Warning($"{provider} has no batch API; generating normally");
            return null;
        }
        if (flags.Continue is not null)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "--continue cannot go through a batch; leave out --batch.");
        }
        return new BatchRun(BatchStore.In(_env.Services.StateDir), _env.Time, projectDir,
            BatchFlags.From(flags, _env.FullPath, projectDir), config.Batch.PollInterval, resume, request.RetryFailed,
            request.BatchRepairs && request.ResumeBatch is null);
    }

    public async Task<ExplainResult> ExplainAsync(ExplainRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stage = RunStage("specsynth.explain", false);
        try
        {
            return await ExplainRunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    private async Task<ExplainResult> ExplainRunAsync(ExplainRequest request, CancellationToken cancellationToken)
    {
        var sink = new EventSink(request.Progress, _logger);
        var run = await RunSetup.ResolveAsync(_env, sink, new RunFlags(request.ProjectRoot, null, Providers(request.Providers), request.Model,
            request.MaxCost, request.Cache, request.Stream, false), "explain", _hostClient, cancellationToken).ConfigureAwait(false);
        using var client = Owned(run);
        var code = await CodeFiles.ReadAsync(_env, run.ProjectDir, request.Files, cancellationToken).ConfigureAwait(false);
        var spec = request.SpecPath is null ? null : await SpecParser.ParseFileAsync(_env.FullPath(request.SpecPath), cancellationToken).ConfigureAwait(false);
        var generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));
        var options = run.Options(new ReplyProgress(sink)) with { Spec = request.SpecPath is null ? null : run.SpecLabel(request.SpecPath) };
        // The reply is cached only once it arrived in full (a failed or interrupted explain asks again next time).
        using var accepted = Caching.ResponseCacheCommit.Begin();
        var explanation = await generator.ExplainImplementationAsync(code, spec, options, cancellationToken).ConfigureAwait(false);
        await accepted.CommitAsync(sink.Warning, CancellationToken.None).ConfigureAwait(false);
        return new ExplainResult(explanation.Provider, explanation.Model, explanation.StopReason, explanation.TokensUsed,
            explanation.CacheHit ? 0m : Math.Round(run.Provider.Cost(explanation.Provider, explanation.TokensUsed), 6), explanation.CacheHit,
            run.Route, run.Events.Events, explanation.Text);
    }

    public async Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stage = RunStage("specsynth.review", false);
        try
        {
            return await ReviewRunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    private async Task<ReviewResult> ReviewRunAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        var sink = new EventSink(request.Progress, _logger);
        var run = await RunSetup.ResolveAsync(_env, sink, new RunFlags(request.ProjectRoot, null, Providers(request.Providers), request.Model,
            request.MaxCost, request.Cache, request.Stream, false), "review", _hostClient, cancellationToken).ConfigureAwait(false);
        using var client = Owned(run);
        var code = await CodeFiles.ReadAsync(_env, run.ProjectDir, request.Files, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Requirement> requirements = request.RequirementsPath is null ? [] :
            (await SpecParser.ParseFileAsync(_env.FullPath(request.RequirementsPath), cancellationToken).ConfigureAwait(false)).Requirements;
        var generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));
        var options = run.Options(null) with { Spec = request.RequirementsPath is null ? null : run.SpecLabel(request.RequirementsPath) };
        var review = await generator.ReviewCodeAsync(code, requirements, options, cancellationToken).ConfigureAwait(false);
        return new ReviewResult(review.Provider, review.Model, review.Summary, review.Requirements, review.Issues, review.TokensUsed,
            review.CacheHit ? 0m : Math.Round(run.Provider.Cost(review.Provider, review.TokensUsed), 6), review.CacheHit, run.Route, run.Events.Events);
    }

    public async Task<ContextResult> ContextAsync(ContextRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stage = RunStage("specsynth.context");
        try
        {
            return await ContextPlanView.PlanAsync(_env, new EventSink(request.Progress, _logger),
                request with { Providers = Providers(request.Providers) }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<IndexResult> IndexAsync(IndexRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var stage = RunStage("specsynth.index");
        try
        {
            return await IndexBuild.RunAsync(_env, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (stage.Failed(ex))
        {
            throw;
        }
    }

    /// <summary>The span and Information log lines of one call of the service (a whole run).</summary>
    private Stage RunStage(string name) =>
        Stage.Begin(name, _env.Services.Logs.CreateLogger(Categories.Run), _env.Time, LogLevel.Information);

    /// <summary><see cref="RunStage(string)"/> of a call that may write files, tagged with whether it is a dry run.</summary>
    private Stage RunStage(string name, bool dryRun) => RunStage(name).Tag("specsynth.dry_run", dryRun);

    /// <summary>The result of one spec: the JSON shape of <c>generate --json</c>.</summary>
    private static GenerateResult ToResult(bool dryRun, GenerateOutcome outcome, ProjectContext project, Specification spec,
        IReadOnlyList<SpecSynth.Middleware.ResilienceEvent>? events)
    {
        var (result, plan, repair) = (outcome.Result, outcome.Plan, outcome.Verified.Repair);
        return new GenerateResult
        {
            Spec = outcome.SpecPath,
            Status = dryRun ? GenerateStatus.DryRun : GenerateStatus.Written,
            Understood = UnderstoodSpec.From(spec, project.Language, project.Framework),
            Provider = result.Provider,
            Model = result.Model,
            SkippedProviders = result.SkippedProviders,
            StopReason = result.StopReason,
            Confidence = result.Confidence,
            ConfidenceEvidence = result.ConfidenceEvidence,
            Usage = new GenerateUsage(result.TokensUsed.InputTokens, result.TokensUsed.OutputTokens, result.TokensUsed.CacheWriteTokens,
                result.TokensUsed.CacheReadTokens),
            CostUsd = Math.Round(outcome.CostUsd, 6),
            CacheHit = result.CacheHit,
            OutputRoot = plan.OutputRoot,
            Files = [.. plan.Files.Select(f => new GenerateFileResult(f.Path, f.Action, outcome.LocalEdits.Contains(f.Path),
                System.Text.Encoding.UTF8.GetByteCount(f.NewContent), f.Language,
                repair.Validation.FirstOrDefault(v => v.Path == f.Path) is { } v
                    ? new GenerateFileValidation(v.Status, v.Validator, [.. v.Diagnostics.Select(d => d.ToString())])
                    : null))],
            Repair = new GenerateRepair(repair.Valid, repair.RoundsUsed, [.. repair.Rounds.Select(r => new GenerateRepairRound(r.Number, r.ResentFiles,
                [.. r.Diagnostics.Select(d => d.ToString())],
                r.Check is { } c ? new GenerateCheck(SecretRedactor.Redact(c.Command), c.Passed, c.ExitCode, c.TimedOut, Tail(SecretRedactor.Redact(c.Output))) : null,
                r.Notes))]),
            Review = outcome.Verified.Review is { } review ? new GenerateReview(review.Summary, review.Requirements, review.Issues) : null,
            JournalRun = outcome.RunId,
            ConversationId = outcome.ConversationId,
            Route = outcome.Route,
            ContextWarning = result.ContextPlan?.Warning,
            Events = events,
            Explanation = result.Explanation,
            Diff = plan.ToUnifiedDiff(),
            PlannedFiles = [.. plan.Files.Select(f => new PlannedFileContent(f.Path, f.NewContent,
                f.OldBytes is null ? null : SpecSynth.Output.WriteJournal.Sha256(f.OldBytes)))],
        };
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    /// <summary>The request's provider choice, else the options' default.</summary>
    private string? Providers(string? requested) => requested ?? (_hostClient is null ? _options.Providers : null);

    /// <summary>The pipeline to dispose at the end of a call; <c>null</c> around a host's client (the host owns it).</summary>
    private IDisposable? Owned(RunSetup run) => _hostClient is null ? run.Provider.Client : null;

    /// <summary><see cref="ParseAsync"/> of a many-spec run: a spec file's parse with the stamp of the bytes it read, to
    /// read and parse it again at its turn; a spec given as text without a stamp.</summary>
    private async Task<(string Path, Specification Spec, SpecStamp? Stamp)> ParseCheckedAsync(GenerateRequest request,
        CancellationToken cancellationToken)
    {
        if (request.SpecPath is not { } path)
        {
            var (name, spec) = await ParseAsync(request, cancellationToken).ConfigureAwait(false);
            return (name, spec, null);
        }
        using var stage = Stage.Begin("specsynth.parse_spec", _env.Services.Logs.CreateLogger(Categories.Run), _env.Time);
        var file = _env.FullPath(path);
        var (text, stamp) = await SpecInput.ReadFileStampedAsync(file, cancellationToken).ConfigureAwait(false);
        return (path, SpecParser.Parse(text, file), stamp);
    }

    /// <summary>Reads and parses the request's spec: its file, or its text under its name.</summary>
    private async Task<(string Path, Specification Spec)> ParseAsync(GenerateRequest request, CancellationToken cancellationToken)
    {
        using var stage = Stage.Begin("specsynth.parse_spec", _env.Services.Logs.CreateLogger(Categories.Run), _env.Time);
        if (request.SpecPath is { } path)
        {
            return (path, await SpecParser.ParseFileAsync(_env.FullPath(path), cancellationToken).ConfigureAwait(false));
        }
        if (request.SpecText is { } text)
        {
            var name = request.SpecName ?? DefaultSpecName;
            return (name, SpecParser.Parse(text, name));
        }
        throw new SpecSynthException(ErrorKind.InvalidInput, "Give the spec: SpecPath or SpecText.");
    }

    /// <summary>Reports the specs' check (<paramref name="gate"/>), resolves the run, checks the output folder and scans the
    /// project: what every spec of the run shares. <paramref name="specs"/> are read only when routing needs their size.</summary>
    private async Task<GenerateRun> BeginAsync(GenerateRequest flags, SpecGate gate, int specCount, IEnumerable<Specification> specs,
        EventSink sink, CancellationToken cancellationToken, IReadOnlyList<string>? specFiles = null, bool batch = false)
    {
        gate.Report(sink);
        if (flags.Continue is { } instruction && (string.IsNullOrWhiteSpace(instruction) || specCount > 1))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "--continue takes one spec and a non-empty instruction, e.g. " +
                "specsynth generate spec.md --continue \"add input validation\".");
        }
        var runFlags = new RunFlags(flags.ProjectRoot, flags.OutputRoot, Providers(flags.Providers), flags.Model, flags.MaxCost, flags.Cache,
            flags.Stream, flags.ExactTokens)
        {
            Batch = batch,
            ContextRoot = flags.ContextRoot,
        };
        var setup = await RunSetup.ResolveAsync(_env, sink, runFlags, "generate", _hostClient, cancellationToken, specs).ConfigureAwait(false);
        var owned = Owned(setup);
        try
        {
            var outputRoot = flags.OutputRoot is null ? setup.ProjectDir : _env.FullPath(flags.OutputRoot);
            OutputFolderCheck.Ensure(outputRoot, writing: !flags.DryRun);
            ProjectContext project;
            var log = _env.Services.Logs.CreateLogger(Categories.Context);
            sink.Report(new ScanningEvent(setup.ContextDir));
            var scanStart = _env.Time.GetTimestamp();
            using (var scan = Stage.Begin("specsynth.scan", log, _env.Time))
            {
                project = await new ProjectScanner(new ProjectScanOptions().WithState(_env.Services.StateDir, setup.Config.Context)).ScanAsync(setup.ContextDir, cancellationToken).ConfigureAwait(false);
                scan.Tag("specsynth.files", project.Files.Count);
                Log.Scanned(log, project.Files.Count, setup.ContextDir);
            }
            sink.Report(new ScannedEvent(setup.ContextDir, project.Files.Count, _env.Time.GetElapsedTime(scanStart)));
            var job = new GenerateJob(setup, project, outputRoot, flags)
            {
                Specs = specFiles ?? (flags.SpecPath is { } path ? [_env.FullPath(path)] : []),
            };
            return new GenerateRun(setup, project, job, owned);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    /// <summary>What the specs of one generate run share; disposing it ends the run (the client, the job).</summary>
    private sealed record GenerateRun(RunSetup Setup, ProjectContext Project, GenerateJob Job, IDisposable? Client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Job.Dispose();
            Client?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
