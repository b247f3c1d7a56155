using System.CommandLine;
using SpecSynth.Config;
using SpecSynth.Llm;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth generate SPEC.md…</c>: spec + project -> model -> files, written safely (or diffed). Several specs
/// run concurrently (<c>--concurrency</c>) over one client, so they share its limits; every spec is parsed before
/// any request, and each spec's files are written as one all-or-nothing batch.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>The longest <c>--check-timeout</c>: a day.</summary>
    private const int MaxCheckTimeoutSeconds = 86_400;

    /// <summary>The name a spec read from standard input (<c>generate -</c>) has in outputs, history and the ledger.</summary>
    public const string StdinSpec = "stdin.md";

    public static Command Create(CliHost host)
    {
        var specs = new Argument<string[]>("spec")
        {
            Description = $"The specification(s) (markdown) to implement; - reads one from standard input (named {StdinSpec} in the output).",
            Arity = ArgumentArity.OneOrMore,
        };
        CommonOptions.RejectOptionLikeValues(specs, allowStdin: true);
        var common = new CommonOptions();
        var outDir = new Option<string?>("--out") { Description = "Where to write the files; without --project, also the folder whose files give context. Default: the project folder." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff (or a JSON summary) and write nothing." };
        var concurrency = NumericOption.Int("--concurrency", "How many specs to generate at once when several are given (1 to 64). Default 4.", 1, 64, 4);
        var check = new Option<string?>("--check") { Description = "A command (e.g. \"dotnet build\") run in a temporary copy of the output with the files applied; failures go back to the model." };
        var checkTimeout = NumericOption.Int("--check-timeout", "Seconds the --check command may run (1 to 86400). Default 300.", 1, MaxCheckTimeoutSeconds, 300);
        var repairRounds = NumericOption.Int("--repair-rounds", "Rounds of asking the model to fix syntax errors or --check failures (0 to 10). Default 2.", 0, 10, 2);
        var writeInvalid = new Option<bool>("--write-invalid") { Description = "Write the files even if they are still invalid after the repair rounds (with a warning)." };
        var allowTemplate = new Option<bool>("--allow-template") { Description = "Generate even from a spec that is still an unfilled template (placeholder title or many placeholders)." };
        var exactTokens = new Option<bool>("--exact-tokens") { Description = "Count the prompt with the provider's token-counting endpoint (Claude) instead of the local estimate." };
        var selfReview = new Option<bool>("--self-review") { Description = "Ask the model to review the result against the spec's requirements; the verdicts count towards the confidence." };
        var continueWith = new Option<string?>("--continue")
        {
            Description = "Continue the spec's latest conversation in this project with an instruction (e.g. \"add input validation\").",
        };
        var historyBudget = NumericOption.OptionalInt("--history-budget",
            $"Tokens the earlier turns of a --continue may take before the oldest are summarised ({History.HistoryCompactor.MinBudget} to " +
            "10000000). Default: a quarter of the model's context window, at most 32000.", History.HistoryCompactor.MinBudget, 10_000_000);
        var command = new Command("generate", "Generate code from a specification.")
        {
            specs, outDir, dryRun, concurrency, check, checkTimeout, repairRounds, writeInvalid, selfReview,
        };
        command.Add(continueWith);
        command.Add(historyBudget);
        command.Add(exactTokens);
        command.Add(allowTemplate);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var verify = new VerifyOptions(parse.GetValue(check), TimeSpan.FromSeconds(parse.GetValue(checkTimeout)), parse.GetValue(repairRounds),
                parse.GetValue(writeInvalid), parse.GetValue(selfReview));
            var parsed = await ParseSpecsAsync(host, parse.GetRequiredValue(specs), ct).ConfigureAwait(false);
            var request = new GenerateRequest([.. parsed.Select(s => s.Path)], parse.GetValue(outDir), parse.GetValue(dryRun), parse.GetValue(concurrency), verify)
            {
                AllowTemplate = parse.GetValue(allowTemplate),
            };
            await SpecGate.CheckAsync(host, parsed, request.AllowTemplate).ConfigureAwait(false);
            var history = new HistorySettings(parse.GetValue(continueWith), parse.GetValue(historyBudget));
            if (history.Instruction is { } instruction && (string.IsNullOrWhiteSpace(instruction) || request.SpecPaths.Length > 1))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, "--continue takes one spec and a non-empty instruction, e.g. " +
                    "specsynth generate spec.md --continue \"add input validation\".");
            }
            var run = await RunContext.ResolveAsync(host, parse, common, "generate", ct, [.. parsed.Select(s => s.Spec)], outDir).ConfigureAwait(false);
            run = run with { ExactTokens = parse.GetValue(exactTokens) };
            return await RunAsync(host, request with { History = history }, parsed, run, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Every spec, parsed before anything else runs; <c>-</c> is read from standard input and named <see cref="StdinSpec"/>.</summary>
    private static async Task<List<(string Path, Specification Spec)>> ParseSpecsAsync(CliHost host, string[] paths, CancellationToken cancellationToken)
    {
        if (paths.Count(p => p == "-") > 1)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "'-' (the spec from standard input) can be given once.");
        }
        var specs = new List<(string Path, Specification Spec)>();
        foreach (var path in paths)
        {
            if (path != "-")
            {
                specs.Add((path, await SpecParser.ParseFileAsync(host.FullPath(path), cancellationToken).ConfigureAwait(false)));
                continue;
            }
            if (host.InputIsTerminal)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    "'generate -' reads the spec from standard input, but nothing is piped in: e.g. cat spec.md | specsynth generate -");
            }
            await using var input = host.OpenInput();
            specs.Add((StdinSpec, await SpecParser.ParseStreamAsync(input, StdinSpec, cancellationToken).ConfigureAwait(false)));
        }
        return specs;
    }

    private static async Task<int> RunAsync(CliHost host, GenerateRequest request, List<(string Path, Specification Spec)> specs, RunContext run,
        CancellationToken cancellationToken)
    {
        using var client = run.Provider.Client;
        var outputRoot = request.OutDir is null ? run.ProjectDir : host.FullPath(request.OutDir);
        OutputFolderCheck.Ensure(outputRoot, writing: !request.DryRun);
        var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(run.ContextDir, cancellationToken).ConfigureAwait(false);
        using var job = new GenerateJob(host, run, project, outputRoot, request.DryRun, request.Verify) { History = request.History, Specs = [.. request.SpecPaths.Where(p => p != "-").Select(host.FullPath)] };
        if (specs.Count == 1)
        {
            var outcome = await job.RunAsync(specs[0].Path, specs[0].Spec, showProgress: !run.Json, cancellationToken).ConfigureAwait(false);
            outcome = outcome with { Understood = SpecUnderstanding.View(specs[0].Spec, project.Language, project.Framework) };
            await GenerateOutput.WriteAsync(host, run.Json, request.DryRun, outcome, run.Events.Events).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var outcomes = new GenerateOutcome?[specs.Count];
        var failures = new (int Code, string Message)?[specs.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, specs.Count),
                new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    try
                    {
                        outcomes[i] = await job.RunAsync(specs[i].Path, specs[i].Spec, showProgress: false, ct).ConfigureAwait(false) with
                        {
                            Understood = SpecUnderstanding.View(specs[i].Spec, project.Language, project.Framework),
                        };
                        await GenerateOutput.WriteProgressLineAsync(host, run.Json, request.DryRun, outcomes[i]!).ConfigureAwait(false);
                    }
                    catch (SpecSynthException ex)
                    {
                        failures[i] = (ExitCodes.For(ex.Kind), Projects.SecretRedactor.Redact(ex.Message));
                        await host.Error.WriteLineAsync($"error: {specs[i].Path}: {ex.Message}").ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !request.DryRun && outcomes.Any(o => o?.RunId is not null))
        {
            // Specs finished before the interruption stay written: say which, rather than "nothing was written".
            throw new RunInterruptedException(GenerateOutput.Interrupted(specs.Select(s => s.Path).ToList(), outcomes), cancellationToken);
        }
        await GenerateOutput.WriteManyAsync(host, run.Json, request.DryRun, specs.Select(s => s.Path).ToList(), outcomes, failures, run.Events.Events)
            .ConfigureAwait(false);
        return failures.FirstOrDefault(f => f is not null)?.Code ?? ExitCodes.Ok;
    }

    private sealed record GenerateRequest(string[] SpecPaths, string? OutDir, bool DryRun, int Concurrency, VerifyOptions Verify)
    {
        public HistorySettings History { get; init; } = HistorySettings.None;

        public bool AllowTemplate { get; init; }
    }
}
