namespace SpecSynth.Edits;

/// <summary>What the generate prompt asks for existing files (<c>[edits] mode</c>, <c>--edit-format</c>). Edits a reply
/// sends anyway are applied in every mode.</summary>
internal enum EditMode
{
    /// <summary>Edits for existing files sent whole with at least <see cref="EditPolicy.ThresholdLines"/> lines, whole files otherwise.</summary>
    Auto,

    /// <summary>Whole files only (the format before edits).</summary>
    Whole,

    /// <summary>Edits for every existing file sent whole.</summary>
    Edit,
}
