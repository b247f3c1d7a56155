namespace SpecSynth.Edits;

/// <summary>The <c>[edits]</c> section: when the generate prompt asks for SEARCH/REPLACE edits instead of whole files.</summary>
internal sealed record EditPolicy
{
    /// <summary>The default of <see cref="ThresholdLines"/>.</summary>
    public const int DefaultThresholdLines = 100;

    /// <summary>The defaults: <see cref="EditMode.Auto"/> from <see cref="DefaultThresholdLines"/> lines.</summary>
    public static EditPolicy Default { get; } = new();

    /// <summary>What to ask for.</summary>
    public EditMode Mode { get; init; } = EditMode.Auto;

    /// <summary>In <see cref="EditMode.Auto"/>, the fewest lines an existing file needs to be asked for as edits.</summary>
    public int ThresholdLines { get; init; } = DefaultThresholdLines;

    /// <summary>The policy of a configuration section and an optional <c>--edit-format</c> that overrides its mode.</summary>
    public static EditPolicy From(Config.EditOptions options, string? flag) => new()
    {
        Mode = Parse(flag) ?? Parse(options.Mode) ?? EditMode.Auto,
        ThresholdLines = options.ThresholdLines,
    };

    /// <summary>The mode's name as configured (<c>auto</c>, <c>whole</c>, <c>edit</c>).</summary>
    public static string Name(EditMode mode) => mode switch
    {
        EditMode.Whole => "whole",
        EditMode.Edit => "edit",
        _ => "auto",
    };

    /// <summary>Reads a mode name; <c>null</c> when it is none of <c>auto</c>, <c>whole</c>, <c>edit</c>.</summary>
    public static EditMode? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "auto" => EditMode.Auto,
        "whole" => EditMode.Whole,
        "edit" => EditMode.Edit,
        _ => null,
    };

    /// <summary>Whether an existing file of <paramref name="lines"/> lines, sent whole, is asked for as edits.</summary>
    public bool AsksEdits(int lines) => Mode switch
    {
        EditMode.Edit => true,
        EditMode.Auto => lines >= ThresholdLines,
        _ => false,
    };
}
