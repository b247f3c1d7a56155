namespace SpecSynth.Output;

/// <summary>One recorded write, as listed by <see cref="WriteJournal.ListAsync"/>.</summary>
/// <param name="RunId">The run id: UTC timestamp plus a short random suffix.</param>
/// <param name="CreatedUtc">When the run started (UTC).</param>
/// <param name="OutputRoot">The output folder, absolute, links resolved.</param>
/// <param name="Status">Pending, committed or undone.</param>
/// <param name="Files">The files the run created or modified.</param>
public sealed record JournalRun(string RunId, DateTimeOffset CreatedUtc, string OutputRoot, JournalRunStatus Status, IReadOnlyList<JournalFile> Files);
