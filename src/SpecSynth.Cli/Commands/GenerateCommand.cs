using System.CommandLine;
using SpecSynth.Config;
using SpecSynth.Llm;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth generate SPEC.md</c>: spec + project -> model -> files, written safely (or diffed).</summary>
internal static class GenerateCommand
{
    public static Command Create(CliHost host)
    {
        var spec = new Argument<string>("spec") { Description = "The specification (markdown) to implement." };
        var common = new CommonOptions();
        var outDir = new Option<string?>("--out") { Description = "Where to write the files. Default: the project folder." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff (or a JSON summary) and write nothing." };
        var command = new Command("generate", "Generate code from a specification.") { spec, outDir, dryRun };
        common.AddTo(command);
        command.SetAction(async (parse, ct) => await RunAsync(host, parse.GetRequiredValue(spec), parse.GetValue(outDir), parse.GetValue(dryRun),
            await RunContext.ResolveAsync(host, parse, common, ct).ConfigureAwait(false), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, string specPath, string? outDir, bool dryRun, RunContext run,
        CancellationToken cancellationToken)
    {
        using var client = run.Provider.Client;
        var spec = await SpecParser.ParseFileAsync(host.FullPath(specPath), cancellationToken).ConfigureAwait(false);
        var outputRoot = outDir is null ? run.ProjectDir : host.FullPath(outDir);
        var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(run.ProjectDir, cancellationToken).ConfigureAwait(false);
        var generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));
        var result = await GenerateAsync(host, run, p => generator.GenerateCodeAsync(spec, project, run.Options(p, outputRoot), cancellationToken))
            .ConfigureAwait(false);
        var plan = OutputPlan.Create(outputRoot, result.Files);
        cancellationToken.ThrowIfCancellationRequested();
        string? runId = null;
        if (!dryRun)
        {
            var journal = new WriteJournal(StatePaths.StateDir(host.GetEnv), host.Time);
            runId = await new SafeFileWriter(journal).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        await GenerateOutput.WriteAsync(host, run.Json, dryRun, result, plan, runId, run.Provider.Cost(result.TokensUsed)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Runs the generation with the right progress view: none for --json, live on a terminal, plain lines otherwise.</summary>
    private static async Task<GeneratedCode> GenerateAsync(CliHost host, RunContext run, Func<IProgress<string>?, Task<GeneratedCode>> generate)
    {
        if (run.Json)
        {
            return await generate(null).ConfigureAwait(false);
        }
        if (host.ErrorIsTerminal)
        {
            return await LiveProgressView.RunAsync(host, run.Provider, generate, r => r.TokensUsed).ConfigureAwait(false);
        }
        var plain = new ProgressReporter(host, run.Provider);
        var result = await generate(plain).ConfigureAwait(false);
        plain.Finish(result.TokensUsed);
        return result;
    }
}
