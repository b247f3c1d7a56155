namespace SpecSynth.Output;

/// <summary>One file a journal run wrote.</summary>
/// <param name="Path">Relative to the run's output folder, <c>/</c> separators.</param>
/// <param name="Action"><see cref="FileAction.Created"/> or <see cref="FileAction.Modified"/>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes the run wrote.</param>
public sealed record JournalFile(string Path, FileAction Action, string Sha256);
