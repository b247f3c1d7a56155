namespace SpecSynth.History;

/// <summary>Who said a turn of a stored conversation.</summary>
public enum TurnRole
{
    /// <summary>The request (stored compactly: spec, template version and the instruction, not the whole prompt).</summary>
    User,

    /// <summary>The model's reply.</summary>
    Assistant,
}
