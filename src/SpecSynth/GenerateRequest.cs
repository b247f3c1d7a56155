using SpecSynth.Caching;

namespace SpecSynth;

/// <summary>
/// One spec to generate: what <c>specsynth generate SPEC.md</c> does, one property per flag. Relative paths are resolved
/// against <see cref="SpecSynthOptions.WorkingDirectory"/>.
/// </summary>
public sealed record GenerateRequest
{
    /// <summary>The spec file (markdown). Give this or <see cref="SpecText"/>.</summary>
    public string? SpecPath { get; init; }

    /// <summary>The spec's text, when it is not a file (e.g. read from standard input); named <see cref="SpecName"/>.</summary>
    public string? SpecText { get; init; }

    /// <summary>The name of a <see cref="SpecText"/> spec in results, history and the ledger. Default <c>spec.md</c>.</summary>
    public string? SpecName { get; init; }

    /// <summary><c>--project</c>: the project folder (configuration, history); <c>null</c> for the working directory. Its
    /// files give context; without it, <see cref="OutputRoot"/>'s do when given.</summary>
    public string? ProjectRoot { get; init; }

    /// <summary>The folder scanned for context when it is not <see cref="ProjectRoot"/> (a resumed batch run: the folder its
    /// first run scanned, so its prompts are the ones submitted).</summary>
    internal string? ContextRoot { get; init; }

    /// <summary><c>--out</c>: where to write the files; <c>null</c> for the project folder.</summary>
    public string? OutputRoot { get; init; }

    /// <summary><c>--dry-run</c>: plan and diff, write nothing (no journal, no history).</summary>
    public bool DryRun { get; init; }

    /// <summary><c>--check</c>: a command run in a temporary copy of the output with the files applied; failures go back to the model.</summary>
    public string? Check { get; init; }

    /// <summary><c>--check-timeout</c>: how long the check may run. Default 300 s.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>--repair-rounds</c>: rounds of asking the model to fix errors or check failures (0 to 10). Default 2.</summary>
    public int RepairRounds { get; init; } = 2;

    /// <summary><c>--write-invalid</c>: write files still invalid after the repair rounds (with a warning).</summary>
    public bool WriteInvalid { get; init; }

    /// <summary><c>--self-review</c>: ask the model to review the result against the requirements.</summary>
    public bool SelfReview { get; init; }

    /// <summary><c>--edit-format</c>: what the prompt asks for existing files: <c>auto</c> (SEARCH/REPLACE edits for files of at
    /// least <c>[edits] threshold_lines</c> lines, whole files otherwise), <c>whole</c> or <c>edit</c>; <c>null</c> for
    /// <c>[edits] mode</c> (default <c>auto</c>). Edits a model sends anyway are applied in every mode.</summary>
    public string? EditFormat { get; init; }

    /// <summary><c>--continue</c>: an instruction that continues the spec's latest conversation; <c>null</c> starts a new one.</summary>
    public string? Continue { get; init; }

    /// <summary>The smallest <see cref="HistoryBudget"/>, in tokens: below it not even a summary of the earlier turns fits.</summary>
    public const int MinHistoryBudget = History.HistoryCompactor.MinBudget;

    /// <summary><c>--history-budget</c>: tokens the earlier turns may take; <c>null</c> for a quarter of the model's window (at most 32,000).</summary>
    public int? HistoryBudget { get; init; }

    /// <summary><c>--exact-tokens</c>: count the prompt with the provider's counting endpoint.</summary>
    public bool ExactTokens { get; init; }

    /// <summary><c>--allow-template</c>: generate even from an unfilled template.</summary>
    public bool AllowTemplate { get; init; }

    /// <summary><c>--provider</c>: provider or fallback chain (<c>claude,openai</c>; <c>mock</c> for the offline mock); <c>null</c>
    /// for the configuration's (or <see cref="SpecSynthOptions.Providers"/>).</summary>
    public string? Providers { get; init; }

    /// <summary><c>--model</c>: the first provider's model.</summary>
    public string? Model { get; init; }

    /// <summary><c>--max-cost</c>: the most this run may spend, in USD.</summary>
    public decimal? MaxCost { get; init; }

    /// <summary><c>--no-cache</c> (<see cref="CacheMode.Off"/>) / <c>--refresh</c> (<see cref="CacheMode.Refresh"/>). Default read and write.</summary>
    public CacheMode Cache { get; init; } = CacheMode.ReadWrite;

    /// <summary>Stream the reply (<c>--no-stream</c> turns it off). Default <c>true</c>.</summary>
    public bool Stream { get; init; } = true;

    /// <summary>Hears the run's events; <c>null</c> for none.</summary>
    public IProgress<SpecSynthEvent>? Progress { get; init; }
}
