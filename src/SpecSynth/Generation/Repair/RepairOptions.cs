using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>How <see cref="RepairLoop"/> asks for fixes.</summary>
internal sealed record RepairOptions
{
    /// <summary>The defaults: two repair rounds, no check command.</summary>
    public static RepairOptions Default { get; } = new();

    /// <summary>Logs validation, repair rounds and the check (<c>SpecSynth.Validation</c>).</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The most repair requests sent (0 only reports the first reply's diagnostics).</summary>
    public int MaxRounds { get; init; } = 2;

    /// <summary>The <c>--check</c> command run after each round whose files have no syntax error, or <c>null</c>.</summary>
    public string? CheckCommand { get; init; }

    /// <summary>Timeout and output cap for <see cref="CheckCommand"/>.</summary>
    public CheckOptions Check { get; init; } = CheckOptions.Default;

    /// <summary>Model, token limit, temperature, streaming and progress for the repair requests.</summary>
    public GenerationOptions Generation { get; init; } = GenerationOptions.Default;

    /// <summary>Hears each stage (validating, the check and its output, each repair round), or <c>null</c>.</summary>
    public IVerifyProgress? Progress { get; init; }

    /// <summary>The most characters of check output quoted in a repair request (the end is kept).</summary>
    public int MaxCheckOutputInPrompt { get; init; } = 6000;
}
