namespace SpecSynth.Context;

/// <summary>How much of a <see cref="ContextItem"/> is sent.</summary>
public enum ContextItemState
{
    /// <summary>Sent whole.</summary>
    Whole,

    /// <summary>Sent as an outline: declarations and doc comments, bodies left out.</summary>
    Outline,

    /// <summary>Only its path is sent, in the project structure.</summary>
    PathOnly,

    /// <summary>The project structure, cut to what fits and ending with <c>… and N more files</c>.</summary>
    Trimmed,

    /// <summary>Not sent at all.</summary>
    Dropped,
}
