namespace SpecSynth.Config;

/// <summary>When the generate prompt asks for SEARCH/REPLACE edits instead of whole files (<c>[edits]</c>).</summary>
public sealed record EditOptions
{
    /// <summary>The modes <see cref="Mode"/> accepts.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["auto", "whole", "edit"];

    /// <summary>The fewest lines <see cref="ThresholdLines"/> accepts.</summary>
    public const int MinThresholdLines = 1;

    /// <summary><c>auto</c> (edits for existing files of at least <see cref="ThresholdLines"/> lines the prompt shows whole,
    /// whole files otherwise), <c>whole</c> (whole files only) or <c>edit</c> (edits for every existing file shown whole).
    /// Edits a model sends anyway are applied in every mode.</summary>
    public string Mode { get; init; } = "auto";

    /// <summary>In <c>auto</c> mode, the fewest lines an existing file needs to be asked for as edits.</summary>
    public int ThresholdLines { get; init; } = 100;
}
