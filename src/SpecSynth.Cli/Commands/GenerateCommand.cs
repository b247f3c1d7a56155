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
    public static Command Create(CliHost host)
    {
        var specs = new Argument<string[]>("spec") { Description = "The specification(s) (markdown) to implement.", Arity = ArgumentArity.OneOrMore };
        CommonOptions.RejectOptionLikeValues(specs);
        var common = new CommonOptions();
        var outDir = new Option<string?>("--out") { Description = "Where to write the files. Default: the project folder." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff (or a JSON summary) and write nothing." };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "How many specs to generate at once when several are given. Default 4.",
            DefaultValueFactory = _ => 4,
        };
        concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 64)
            {
                r.AddError("--concurrency must be from 1 to 64.");
            }
        });
        var check = new Option<string?>("--check") { Description = "A command (e.g. \"dotnet build\") run in a temporary copy of the output with the files applied; failures go back to the model." };
        var checkTimeout = new Option<int>("--check-timeout") { Description = "Seconds the --check command may run. Default 300.", DefaultValueFactory = _ => 300 };
        var repairRounds = new Option<int>("--repair-rounds") { Description = "Rounds of asking the model to fix syntax errors or --check failures. Default 2.", DefaultValueFactory = _ => 2 };
        var writeInvalid = new Option<bool>("--write-invalid") { Description = "Write the files even if they are still invalid after the repair rounds (with a warning)." };
        var allowTemplate = new Option<bool>("--allow-template") { Description = "Generate even from a spec that is still an unfilled template (placeholder title or many placeholders)." };
        var exactTokens = new Option<bool>("--exact-tokens") { Description = "Count the prompt with the provider's token-counting endpoint (Claude) instead of the local estimate." };
        var selfReview = new Option<bool>("--self-review") { Description = "Ask the model to review the result against the spec's requirements; the verdicts count towards the confidence." };
        var continueWith = new Option<string?>("--continue")
        {
            Description = "Continue the spec's latest conversation in this project with an instruction (e.g. \"add input validation\").",
        };
        var historyBudget = new Option<int?>("--history-budget")
        {
            Description = "Tokens the earlier turns of a --continue may take before the oldest are summarised. Default: a quarter of the model's context window, at most 32000.",
        };
        historyBudget.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < History.HistoryCompactor.MinBudget)
            {
                r.AddError($"--history-budget must be at least {History.HistoryCompactor.MinBudget} tokens.");
            }
        });
        repairRounds.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 10)
            {
                r.AddError("--repair-rounds must be from 0 to 10.");
            }
        });
        checkTimeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--check-timeout must be at least 1 second.");
            }
        });
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
            var request = new GenerateRequest(parse.GetRequiredValue(specs), parse.GetValue(outDir), parse.GetValue(dryRun), parse.GetValue(concurrency), verify)
            {
                AllowTemplate = parse.GetValue(allowTemplate),
            };
            var history = new HistorySettings(parse.GetValue(continueWith), parse.GetValue(historyBudget));
            if (history.Instruction is { } instruction && (string.IsNullOrWhiteSpace(instruction) || request.SpecPaths.Length > 1))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, "--continue takes one spec and a non-empty instruction, e.g. " +
                    "specsynth generate spec.md --continue \"add input validation\".");
            }
            var run = await RunContext.ResolveAsync(host, parse, common, "generate", ct, request.SpecPaths).ConfigureAwait(false);
            run = run with { ExactTokens = parse.GetValue(exactTokens) };
            return await RunAsync(host, request with { History = history }, run, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, GenerateRequest request, RunContext run, CancellationToken cancellationToken)
    {
        using var client = run.Provider.Client;
        var specs = new List<(string Path, Specification Spec)>();
        foreach (var path in request.SpecPaths)
        {
            specs.Add((path, await SpecParser.ParseFileAsync(host.FullPath(path), cancellationToken).ConfigureAwait(false)));
        }
        await SpecGate.CheckAsync(host, specs, request.AllowTemplate).ConfigureAwait(false);
        var outputRoot = request.OutDir is null ? run.ProjectDir : host.FullPath(request.OutDir);
        var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(run.ProjectDir, cancellationToken).ConfigureAwait(false);
        using var job = new GenerateJob(host, run, project, outputRoot, request.DryRun, request.Verify) { History = request.History };
        if (specs.Count == 1)
        {
            var outcome = await job.RunAsync(specs[0].Path, specs[0].Spec, showProgress: !run.Json, cancellationToken).ConfigureAwait(false);
            outcome = outcome with { Understood = SpecUnderstanding.View(specs[0].Spec, project.Language, project.Framework) };
            await GenerateOutput.WriteAsync(host, run.Json, request.DryRun, outcome, run.Events.Events).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var outcomes = new GenerateOutcome?[specs.Count];
        var failures = new (int Code, string Message)?[specs.Count];
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
                    failures[i] = (ExitCodes.For(ex.Kind), ex.Message);
                    await host.Error.WriteLineAsync($"error: {specs[i].Path}: {ex.Message}").ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
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
