using SpecSynth.Config;
using SpecSynth.Output;
using SpecSynth.Parsing;

namespace SpecSynth;

/// <summary>
/// Writes what a dry run showed (<see cref="GenerateResult.PlannedFiles"/>), later, after a person has seen the diff: the same
/// path rules as a generation, written all-or-nothing with the write journal (so <c>specsynth undo</c> restores it), and
/// refused when any planned file changed on disk since the dry run.
/// </summary>
public static class DryRunPlan
{
    /// <summary>Writes <paramref name="files"/> into <paramref name="outputRoot"/>, exactly as the dry run planned them.</summary>
    /// <param name="outputRoot">The dry run's output folder (<see cref="GenerateResult.OutputRoot"/>).</param>
    /// <param name="files">The dry run's planned files.</param>
    /// <param name="timeProvider">The clock of the journal.</param>
    /// <param name="environment">Reads an environment variable (the state folder: <c>SPECSYNTH_HOME</c>, XDG); <c>null</c> for the
    /// process environment.</param>
    /// <param name="cancellationToken">Cancels the write; a write in progress is rolled back.</param>
    /// <exception cref="SpecSynthException">A file changed since the dry run (<see cref="ErrorKind.InvalidInput"/>; nothing written), or
    /// a path is unsafe (<see cref="ErrorKind.UnusableOutput"/>).</exception>
    public static async Task<AppliedPlan> ApplyAsync(string outputRoot, IReadOnlyList<PlannedFileContent> files, TimeProvider timeProvider,
        Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputRoot);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var plan = OutputPlan.Create(outputRoot, [.. files.Select(f => new GeneratedFile(f.Path, f.Content, null))]);
        var expected = files.ToDictionary(f => f.Path, f => f.OriginalSha256, StringComparer.Ordinal);
        var changed = plan.Files
            .Where(f => !string.Equals(f.OldBytes is null ? null : WriteJournal.Sha256(f.OldBytes), expected.GetValueOrDefault(f.Path),
                StringComparison.Ordinal))
            .Select(f => f.Path).ToList();
        if (changed.Count > 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"Not applied: {string.Join(", ", changed)} changed since the dry run; nothing was written. Run the dry run again.");
        }
        var journal = new WriteJournal(StatePaths.StateDir(environment ?? Environment.GetEnvironmentVariable), timeProvider);
        var runId = await new SafeFileWriter(journal).WriteAsync(plan, cancellationToken).ConfigureAwait(false);
        return new AppliedPlan(plan.OutputRoot, runId,
            [.. plan.Files.Where(f => f.Action == FileAction.Created).Select(f => f.Path)],
            [.. plan.Files.Where(f => f.Action == FileAction.Modified).Select(f => f.Path)]);
    }
}
