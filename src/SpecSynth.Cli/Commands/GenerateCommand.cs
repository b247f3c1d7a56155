using System.CommandLine;
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
            $"Tokens the earlier turns of a --continue may take before the oldest are summarised ({GenerateRequest.MinHistoryBudget} to " +
            "10000000). Default: a quarter of the model's context window, at most 32000.", GenerateRequest.MinHistoryBudget, 10_000_000);
        var editFormat = new Option<string?>("--edit-format")
        {
            Description = "What to ask for existing files: auto (SEARCH/REPLACE edits for files of at least [edits] threshold_lines lines, " +
                "whole files otherwise), whole, or edit. Default: [edits] mode (auto).",
        };
        editFormat.AcceptOnlyFromAmong("auto", "whole", "edit");
        var batch = new Option<bool>("--batch")
        {
            Description = "Send the specs' requests through the provider's batch API (Claude, OpenAI) at half the price; results are " +
                "validated and written as usual. Ctrl+C leaves the batch running: specsynth batch resume ID collects it.",
        };
        var batchRepairs = new Option<bool>("--batch-repairs")
        {
            Description = "With --batch: send the first repair round of the specs whose files are invalid as a second batch " +
                "(half the price) instead of normal requests.",
        };
        var command = new Command("generate", "Generate code from a specification.")
        {
            specs, outDir, dryRun, concurrency, check, checkTimeout, repairRounds, writeInvalid, selfReview,
        };
        command.Add(continueWith);
        command.Add(historyBudget);
        command.Add(exactTokens);
        command.Add(editFormat);
        command.Add(allowTemplate);
        command.Add(batch);
        command.Add(batchRepairs);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var paths = parse.GetRequiredValue(specs);
            var json = parse.GetValue(common.Json);
            var flags = new GenerateRequest
            {
                ProjectRoot = parse.GetValue(common.Project),
                OutputRoot = parse.GetValue(outDir),
                DryRun = parse.GetValue(dryRun),
                Check = parse.GetValue(check),
                CheckTimeout = TimeSpan.FromSeconds(parse.GetValue(checkTimeout)),
                RepairRounds = parse.GetValue(repairRounds),
                WriteInvalid = parse.GetValue(writeInvalid),
                SelfReview = parse.GetValue(selfReview),
                Continue = parse.GetValue(continueWith),
                HistoryBudget = parse.GetValue(historyBudget),
                ExactTokens = parse.GetValue(exactTokens),
                EditFormat = parse.GetValue(editFormat),
                AllowTemplate = parse.GetValue(allowTemplate),
                Providers = common.ProvidersOf(parse),
                Model = parse.GetValue(common.Model),
                MaxCost = parse.GetValue(common.MaxCost),
                Cache = CacheFlags.Mode(parse, common),
                Stream = !parse.GetValue(common.NoStream),
            };
            var requests = await SpecRequestsAsync(host, paths, ct).ConfigureAwait(false);
            var service = CliServices.Synthesizer(host);
            var batched = parse.GetValue(batch);
            if (requests.Count == 1 && !batched)
            {
                using var view = new RunEventView(host, json, several: false);
                var result = await service.GenerateAsync(flags with
                {
                    SpecPath = requests[0].SpecPath,
                    SpecText = requests[0].SpecText,
                    SpecName = requests[0].SpecName,
                    Progress = view,
                }, ct).ConfigureAwait(false);
                view.Dispose();
                await GenerateOutput.WriteAsync(host, json, result).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            // Each spec's output is taken as it finishes, so the run does not keep every result until the end.
            await using var output = new GenerateStream(json, flags.DryRun, requests.Names);
            GenerateAllResult all;
            using (var view = new RunEventView(host, json, several: true, flags.DryRun))
            {
                try
                {
                    all = await service.GenerateAllAsync(new GenerateAllRequest
                    {
                        Specs = requests,
                        Options = flags with { Progress = view },
                        Concurrency = parse.GetValue(concurrency),
                        Batch = batched,
                        BatchRepairs = parse.GetValue(batchRepairs),
                        OnSpecDone = output.OnSpecDoneAsync,
                    }, ct).ConfigureAwait(false);
                }
                catch (BatchInterruptedException ex)
                {
                    throw new RunInterruptedException(ex.Message, ex.CancellationToken);
                }
                catch (GenerateInterruptedException ex)
                {
                    // Specs finished before the interruption stay written: say which, rather than "nothing was written".
                    throw new RunInterruptedException(GenerateOutput.Interrupted(ex.Specs, ex.Results), ex.CancellationToken);
                }
            }
            await output.WriteAsync(host, all, ct).ConfigureAwait(false);
            return output.FirstFailure is { } failed ? ExitCodes.For(failed.Kind) : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One request per spec; <c>-</c> is read from standard input (checked here: not a terminal, UTF-8, not empty)
    /// and named <see cref="StdinSpec"/>.</summary>
    private static async Task<SpecRequests> SpecRequestsAsync(CliHost host, string[] paths, CancellationToken cancellationToken)
    {
        var stdin = paths.Count(p => p == "-");
        if (stdin > 1)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "'-' (the spec from standard input) can be given once.");
        }
        if (stdin == 0)
        {
            return new SpecRequests(paths, null);
        }
        if (host.InputIsTerminal)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                "'generate -' reads the spec from standard input, but nothing is piped in: e.g. cat spec.md | specsynth generate -");
        }
        await using var input = host.OpenInput();
        var spec = await SpecParser.ParseStreamAsync(input, StdinSpec, cancellationToken).ConfigureAwait(false);
        return new SpecRequests(paths, spec.RawText);
    }
}
