using System.Text.Json;
using SpecSynth.Llm.Resilience;
using SpecSynth.Output;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Renders generate results: a summary on stderr (or a diff on stdout for <c>--dry-run</c>), or the <c>--json</c>
/// shape on stdout. One spec gives one JSON object; several give <c>{"results": [...], "succeeded", "failed"}</c>
/// where each result is that same object, or <c>{"spec", "error"}</c> for a spec that failed.
/// </summary>
internal static class GenerateOutput
{
    public static async Task WriteAsync(CliHost host, bool json, bool dryRun, GenerateOutcome outcome, IReadOnlyList<ResilienceEvent> events)
    {
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(dryRun, outcome, events), CliJson.Options)).ConfigureAwait(false);
            return;
        }
        if (dryRun)
        {
            await host.Out.WriteAsync(outcome.Plan.ToUnifiedDiff()).ConfigureAwait(false);
        }
        foreach (var file in outcome.Plan.Files)
        {
            await host.Error.WriteLineAsync($"  {Verb(file.Action, dryRun, outcome.LocalEdits.Contains(file.Path)),-12} {file.Path}").ConfigureAwait(false);
        }
        await host.Error.WriteLineAsync(Summary(dryRun, outcome)).ConfigureAwait(false);
    }

    public static Task WriteProgressLineAsync(CliHost host, bool json, bool dryRun, GenerateOutcome outcome) =>
        json ? Task.CompletedTask : host.Error.WriteLineAsync($"{outcome.SpecPath}: {Summary(dryRun, outcome)}");

    public static async Task WriteManyAsync(CliHost host, bool json, bool dryRun, IReadOnlyList<string> specs,
        IReadOnlyList<GenerateOutcome?> outcomes, IReadOnlyList<(int Code, string Message)?> failures, IReadOnlyList<ResilienceEvent> events)
    {
        var failed = failures.Count(f => f is not null);
        if (json)
        {
            var results = specs.Select((spec, i) => outcomes[i] is { } o
                ? ToJson(dryRun, o, null)
                : new { Spec = spec, Error = new { Kind = ExitCodes.Name(failures[i]!.Value.Code), failures[i]!.Value.Message, ExitCode = failures[i]!.Value.Code } });
            var all = new { Results = results, Succeeded = specs.Count - failed, Failed = failed, Events = events };
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(all, CliJson.Options)).ConfigureAwait(false);
            return;
        }
        if (dryRun)
        {
            foreach (var outcome in outcomes.OfType<GenerateOutcome>())
            {
                await host.Out.WriteAsync(outcome.Plan.ToUnifiedDiff()).ConfigureAwait(false);
            }
        }
        await host.Error.WriteLineAsync($"{specs.Count - failed} of {specs.Count} specs generated; {failed} failed.").ConfigureAwait(false);
    }

    /// <summary>What an interrupted run of several specs leaves: the specs written (files, folder, journal run) and the rest.</summary>
    public static string Interrupted(IReadOnlyList<string> specs, IReadOnlyList<GenerateOutcome?> outcomes)
    {
        var written = outcomes.OfType<GenerateOutcome>().Where(o => o.RunId is not null).ToList();
        var rest = specs.Where((_, i) => outcomes[i]?.RunId is null).ToList();
        var kept = string.Join("; ", written.Select(o =>
            $"{o.SpecPath} ({o.Plan.Files.Count(f => f.Action != FileAction.Unchanged)} files in {o.Plan.OutputRoot}, journal run {o.RunId})"));
        var undo = written.Count == 1 ? "`specsynth undo` removes it" : $"`specsynth undo` removes one spec's files at a time (run it {written.Count} times to remove all)";
        return $"Interrupted. Written before the interruption: {kept}; {undo}. " +
            (rest.Count == 0 ? "Every spec was written." : $"Not written: {string.Join(", ", rest)}.");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    private static string Verb(FileAction action, bool dryRun, bool localEdits) => action switch
    {
        FileAction.Created => dryRun ? "would create" : "created",
        FileAction.Modified when localEdits => dryRun ? "would modify (has local edits)" : "modified (had local edits)",
        FileAction.Modified => dryRun ? "would modify" : "modified",
        _ => "unchanged",
    };

    private static string Summary(bool dryRun, GenerateOutcome outcome)
    {
        var (result, plan) = (outcome.Result, outcome.Plan);
        var usage = result.TokensUsed;
        var written = dryRun ? "Dry run: nothing written" : $"Wrote {plan.Files.Count(f => f.Action != FileAction.Unchanged)} files to {plan.OutputRoot}";
        return $"{written} · {result.Provider}/{result.Model} · {usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens} in / " +
            $"{usage.OutputTokens} out tokens · ${outcome.CostUsd:0.0000} · confidence {result.Confidence:0.00}" +
            (outcome.RunId is null ? "" : " · undo with 'specsynth undo'");
    }

    private static object ToJson(bool dryRun, GenerateOutcome outcome, IReadOnlyList<ResilienceEvent>? events)
    {
        var (result, plan) = (outcome.Result, outcome.Plan);
        return new
        {
            Spec = outcome.SpecPath,
            Status = dryRun ? "dry_run" : "written",
            outcome.Understood,
            result.Provider,
            result.Model,
            result.SkippedProviders,
            result.StopReason,
            result.Confidence,
            result.ConfidenceEvidence,
            Usage = new
            {
                result.TokensUsed.InputTokens,
                result.TokensUsed.OutputTokens,
                result.TokensUsed.CacheWriteTokens,
                result.TokensUsed.CacheReadTokens,
            },
            CostUsd = Math.Round(outcome.CostUsd, 6),
            result.CacheHit,
            plan.OutputRoot,
            Files = plan.Files.Select(f => new
            {
                f.Path,
                Action = f.Action.ToString().ToLowerInvariant(),
                LocalEdits = outcome.LocalEdits.Contains(f.Path),
                Bytes = System.Text.Encoding.UTF8.GetByteCount(f.NewContent),
                f.Language,
                Validation = outcome.Verified.Repair.Validation.FirstOrDefault(v => v.Path == f.Path) is { } v
                    ? new { v.Status, v.Validator, Diagnostics = v.Diagnostics.Select(d => d.ToString()) }
                    : null,
            }),
            Repair = new
            {
                outcome.Verified.Repair.Valid,
                outcome.Verified.Repair.RoundsUsed,
                Rounds = outcome.Verified.Repair.Rounds.Select(r => new
                {
                    r.Number,
                    r.ResentFiles,
                    Diagnostics = r.Diagnostics.Select(d => d.ToString()),
                    Check = r.Check is { } c ? new { Command = Projects.SecretRedactor.Redact(c.Command), c.Passed, c.ExitCode, c.TimedOut, Output = Tail(Projects.SecretRedactor.Redact(c.Output)) } : null,
                    r.Notes,
                }),
            },
            Review = outcome.Verified.Review is { } review ? new { review.Summary, review.Requirements, review.Issues } : null,
            JournalRun = outcome.RunId,
            outcome.ConversationId,
            outcome.Route,
            ContextWarning = result.ContextPlan?.Warning,
            Events = events,
            result.Explanation,
        };
    }
}
