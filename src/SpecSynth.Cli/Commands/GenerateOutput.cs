using System.Text.Json;
using SpecSynth.Output;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Renders generate results: a summary on stderr (or a diff on stdout for <c>--dry-run</c>), or the <c>--json</c>
/// shape on stdout. One spec gives the service's <see cref="GenerateResult"/> as is; several give
/// <c>{"results": [...], "succeeded", "failed", "events"}</c> where each result is that same object, or
/// <c>{"spec", "error"}</c> for a spec that failed.
/// </summary>
internal static class GenerateOutput
{
    public static async Task WriteAsync(CliHost host, bool json, GenerateResult result)
    {
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(result, CliJson.Options)).ConfigureAwait(false);
            return;
        }
        var dryRun = result.Status == GenerateStatus.DryRun;
        if (dryRun)
        {
            await host.Out.WriteAsync(result.Diff).ConfigureAwait(false);
        }
        foreach (var file in result.Files)
        {
            await host.Error.WriteLineAsync($"  {Verb(file.Action, dryRun, file.LocalEdits),-12} {file.Path}").ConfigureAwait(false);
        }
        await host.Error.WriteLineAsync(Summary(dryRun, result)).ConfigureAwait(false);
    }

    /// <summary>The output of a run of several specs whose results are all known (a <c>batch</c> collect): the same bytes
    /// a <c>generate</c> of several builds as its specs finish (<see cref="GenerateStream"/>, which writes both).</summary>
    public static async Task WriteManyAsync(CliHost host, bool json, bool dryRun, IReadOnlyList<string> specs, GenerateAllResult all)
    {
        await using var output = new GenerateStream(json, dryRun, specs);
        for (var i = 0; i < specs.Count; i++)
        {
            await output.OnSpecDoneAsync(new GenerateSpecDone(i, all.Results[i], all.Failures[i]), CancellationToken.None).ConfigureAwait(false);
        }
        await output.WriteAsync(host, all, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A spec's object in the <c>results</c> of several: its result, or <c>{"spec", "error"}</c> where it failed.</summary>
    public static object ResultJson(string spec, GenerateResult? result, GenerateFailure? failure) => result is not null
        ? result
        : new FailedJson(spec, new ErrorJson(ExitCodes.Name(ExitCodes.For(failure!.Kind)), failure.Message, ExitCodes.For(failure.Kind)));

    /// <summary>What an interrupted run of several specs leaves: the specs written (files, folder, journal run) and the rest.</summary>
    public static string Interrupted(IReadOnlyList<string> specs, IReadOnlyList<GenerateResult?> results)
    {
        var written = results.OfType<GenerateResult>().Where(o => o.JournalRun is not null).ToList();
        var rest = specs.Where((_, i) => results[i]?.JournalRun is null).ToList();
        var kept = string.Join("; ", written.Select(o =>
            $"{o.Spec} ({o.Files.Count(f => f.Action != FileAction.Unchanged)} files in {o.OutputRoot}, journal run {o.JournalRun})"));
        var undo = written.Count == 1 ? "`specsynth undo` removes it" : $"`specsynth undo` removes one spec's files at a time (run it {written.Count} times to remove all)";
        return $"Interrupted. Written before the interruption: {kept}; {undo}. " +
            (rest.Count == 0 ? "Every spec was written." : $"Not written: {string.Join(", ", rest)}.");
    }

    /// <summary>The one-line summary of a spec's result.</summary>
    public static string Summary(bool dryRun, GenerateResult result)
    {
        var usage = result.Usage;
        var written = dryRun ? "Dry run: nothing written" : $"Wrote {result.Files.Count(f => f.Action != FileAction.Unchanged)} files to {result.OutputRoot}";
        return $"{written} · {result.Provider}/{result.Model} · {usage.InputTokens + usage.CacheReadTokens + usage.CacheWriteTokens} in / " +
            $"{usage.OutputTokens} out tokens · ${result.CostUsd:0.0000} · confidence {result.Confidence:0.00}" +
            (result.JournalRun is null ? "" : " · undo with 'specsynth undo'");
    }

    private static string Verb(FileAction action, bool dryRun, bool localEdits) => action switch
    {
        FileAction.Created => dryRun ? "would create" : "created",
        FileAction.Modified when localEdits => dryRun ? "would modify (has local edits)" : "modified (had local edits)",
        FileAction.Modified => dryRun ? "would modify" : "modified",
        _ => "unchanged",
    };

    private sealed record FailedJson(string Spec, ErrorJson Error);

    private sealed record ErrorJson(string Kind, string Message, int ExitCode);
}
