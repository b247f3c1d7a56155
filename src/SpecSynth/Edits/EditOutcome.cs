namespace SpecSynth.Edits;

/// <summary>How a file's edits applied.</summary>
internal enum EditOutcome
{
    /// <summary>Every SEARCH matched exactly once (line endings aside).</summary>
    Exact,

    /// <summary>At least one SEARCH matched only when whitespace was ignored, and then uniquely.</summary>
    Fuzzy,

    /// <summary>Not applied: a block matched nowhere or several times, blocks overlapped, or the file is not as the prompt showed it.</summary>
    Refused,
}
