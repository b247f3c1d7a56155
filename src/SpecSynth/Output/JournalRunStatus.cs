namespace SpecSynth.Output;

/// <summary>Where a journal run stands.</summary>
public enum JournalRunStatus
{
    /// <summary>Recorded before any file was touched; the write has not finished (or crashed). Undo handles it.</summary>
    Pending,

    /// <summary>Every file was written.</summary>
    Committed,

    /// <summary>Reverted by <c>undo</c>.</summary>
    Undone,
}
