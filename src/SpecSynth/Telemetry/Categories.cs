namespace SpecSynth.Telemetry;

/// <summary>The library's log categories, one per area, so a host can turn one area up (<c>SpecSynth.Pipeline</c> at Debug)
/// without the others.</summary>
internal static class Categories
{
    /// <summary>Runs and their stages (parse, scan, spec).</summary>
    public const string Run = "SpecSynth.Run";

    /// <summary>The chat-client pipeline: requests, retries, rate-limit waits, fallbacks, circuits, cache hits.</summary>
    public const string Pipeline = "SpecSynth.Pipeline";

    /// <summary>The project context: ranking and planning the prompt.</summary>
    public const string Context = "SpecSynth.Context";

    /// <summary>Validation, repair rounds and the check command.</summary>
    public const string Validation = "SpecSynth.Validation";

    /// <summary>Writing files and the journal.</summary>
    public const string Output = "SpecSynth.Output";
}
