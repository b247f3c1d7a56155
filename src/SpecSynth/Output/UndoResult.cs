namespace SpecSynth.Output;

/// <summary>What <see cref="WriteJournal.UndoLastAsync(bool, CancellationToken)"/> did.</summary>
/// <param name="RunId">The run that was undone.</param>
/// <param name="OutputRoot">Its output folder.</param>
/// <param name="DeletedFiles">Files the run had created, now deleted (relative paths).</param>
/// <param name="RestoredFiles">Files the run had modified, now back to their previous bytes.</param>
/// <param name="RemovedFolders">Empty folders the run had created, now removed.</param>
public sealed record UndoResult(
    string RunId,
    string OutputRoot,
    IReadOnlyList<string> DeletedFiles,
    IReadOnlyList<string> RestoredFiles,
    IReadOnlyList<string> RemovedFolders);
