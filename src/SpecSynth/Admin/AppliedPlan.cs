namespace SpecSynth;

/// <summary>What <see cref="DryRunPlan.ApplyAsync"/> wrote.</summary>
/// <param name="OutputRoot">The output folder.</param>
/// <param name="JournalRun">The write journal's run id (<c>specsynth undo</c> restores it), or <c>null</c> when nothing changed.</param>
/// <param name="Created">The files created, relative to the output folder.</param>
/// <param name="Modified">The files modified.</param>
public sealed record AppliedPlan(string OutputRoot, string? JournalRun, IReadOnlyList<string> Created, IReadOnlyList<string> Modified);
