namespace SpecSynth;

/// <summary>
/// The service's settings, bound from the <c>SpecSynth</c> configuration section by <c>AddSpecSynth</c>. The project's
/// <c>specsynth.toml</c> (and <c>SPECSYNTH_*</c> variables) still apply per run, as for the CLI.
/// </summary>
public sealed class SpecSynthOptions
{
    /// <summary>The configuration section <c>AddSpecSynth</c> binds.</summary>
    public const string SectionName = "SpecSynth";

    /// <summary>The folder relative paths of requests are resolved against; <c>null</c> for the process's current directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The state folder (history, journal, ledger, cache); <c>null</c> for <c>SPECSYNTH_HOME</c> or its default.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>The provider chain when a request names none (e.g. <c>mock</c>, <c>claude,openai</c>); <c>null</c> for the
    /// project configuration's. Ignored when a host <c>IChatClient</c> is the provider.</summary>
    public string? Providers { get; set; }

    /// <summary>Reads an environment variable (API keys, <c>SPECSYNTH_*</c>); <c>null</c> for the process environment. Not
    /// bound from configuration: a host (or a test) sets it in code.</summary>
    public Func<string, string?>? Environment { get; set; }
}
