namespace SpecSynth.Output;

/// <summary>What applying an <see cref="OutputPlan"/> does to one file.</summary>
public enum FileAction
{
    /// <summary>The file does not exist yet and will be created.</summary>
    Created,

    /// <summary>The file exists with different bytes and will be replaced.</summary>
    Modified,

    /// <summary>The file already has exactly these bytes; it is left alone.</summary>
    Unchanged,
}
