using System.Text.Json;
using SpecSynth.Llm;
using SpecSynth.Output;

namespace SpecSynth.Cli.Commands;

/// <summary>Renders a generate result: a summary (or a diff for <c>--dry-run</c>), or the <c>--json</c> shape.</summary>
internal static class GenerateOutput
{
    public static async Task WriteAsync(CliHost host, bool json, bool dryRun, GeneratedCode result, OutputPlan plan, string? runId, decimal costUsd)
    {
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(ToJson(dryRun, result, plan, runId, costUsd), CliJson.Options)).ConfigureAwait(false);
            return;
        }
        if (dryRun)
        {
            foreach (var file in plan.Files.Where(f => f.Action != FileAction.Unchanged))
            {
                await host.Out.WriteAsync(UnifiedDiff.Create(file.Path, file.Path, file.OldContent, file.NewContent)).ConfigureAwait(false);
            }
        }
        foreach (var file in plan.Files)
        {
            var verb = file.Action switch
            {
                FileAction.Created => dryRun ? "would create" : "created",
                FileAction.Modified => dryRun ? "would modify" : "modified",
                _ => "unchanged",
            };
            await host.Error.WriteLineAsync($"  {verb,-12} {file.Path}").ConfigureAwait(false);
        }
        var usage = result.TokensUsed;
        await host.Error.WriteLineAsync(
            $"{(dryRun ? "Dry run: nothing written" : $"Wrote {plan.Files.Count(f => f.Action != FileAction.Unchanged)} files to {plan.OutputRoot}")}" +
            $" · {result.Provider}/{result.Model} · {usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens} in / {usage.OutputTokens} out tokens" +
            $" · ${costUsd:0.0000} · confidence {result.Confidence:0.00}" + (runId is null ? "" : " · undo with 'specsynth undo'")).ConfigureAwait(false);
    }

    private static object ToJson(bool dryRun, GeneratedCode result, OutputPlan plan, string? runId, decimal costUsd) => new
    {
        Status = dryRun ? "dry_run" : "written",
        result.Provider,
        result.Model,
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
        CostUsd = Math.Round(costUsd, 6),
        OutputRoot = plan.OutputRoot,
        Files = plan.Files.Select(f => new
        {
            f.Path,
            Action = f.Action.ToString().ToLowerInvariant(),
            Bytes = System.Text.Encoding.UTF8.GetByteCount(f.NewContent),
            Language = result.Files.FirstOrDefault(g => g.Path == f.Path)?.Language,
        }),
        JournalRun = runId,
        result.Explanation,
    };
}
