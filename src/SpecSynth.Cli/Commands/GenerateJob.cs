using SpecSynth.Config;
using SpecSynth.Llm;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary>Generates one spec against a scanned project and writes (or plans) its files. Thread-safe: concurrent
/// jobs share the client; their writes are serialised so journal entries and files never interleave.</summary>
internal sealed class GenerateJob(CliHost host, RunContext run, ProjectContext project, string outputRoot, bool dryRun) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly LlmCodeGenerator _generator =
        new(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));

    public async Task<GenerateOutcome> RunAsync(string specPath, Specification spec, bool showProgress, CancellationToken cancellationToken)
    {
        var result = await GenerateAsync(showProgress,
            p => _generator.GenerateCodeAsync(spec, project, run.Options(p, outputRoot), cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var plan = OutputPlan.Create(outputRoot, result.Files);
            string? runId = null;
            if (!dryRun)
            {
                var journal = new WriteJournal(StatePaths.StateDir(host.GetEnv), host.Time);
                runId = await new SafeFileWriter(journal).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            return new GenerateOutcome(specPath, result, plan, runId, run.Provider.Cost(result.TokensUsed));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>Runs the generation with the right progress view: none, live on a terminal, plain lines otherwise.</summary>
    private async Task<GeneratedCode> GenerateAsync(bool showProgress, Func<IProgress<string>?, Task<GeneratedCode>> generate)
    {
        if (!showProgress)
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
