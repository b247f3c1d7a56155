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

    /// <summary>Builds the Anthropic, OpenAI and Ollama clients: <c>SpecSynthProviders.Factory</c> from the
    /// <c>SpecSynth.Providers</c> package (<c>AddSpecSynth</c> takes the one <c>services.AddSpecSynthProviders()</c> registered);
    /// <c>null</c>: only the mock and a host's own <c>IChatClient</c> can be used, and asking for <c>claude</c>,
    /// <c>openai</c> or <c>ollama</c> fails with <see cref="ErrorKind.InvalidInput"/>. Not bound from configuration.</summary>
    public ProviderSdkFactory? ProviderFactory { get; set; }

    /// <summary>Opens the state <c>[shared] redis</c> shares (response cache, rate limits, budgets):
    /// <c>SpecSynthRedis.Backend</c> from the <c>SpecSynth.Redis</c> package (<c>AddSpecSynth</c> takes the one
    /// <c>services.AddSpecSynthRedis()</c> registered); <c>null</c>: a configured Redis gives one warning and the state
    /// stays local. Not bound from configuration.</summary>
    public SharedStateBackend? SharedState { get; set; }

    /// <summary>Creates the library's loggers, one category per area (<c>SpecSynth.Run</c>, <c>SpecSynth.Pipeline</c>,
    /// <c>SpecSynth.Context</c>, <c>SpecSynth.Validation</c>, <c>SpecSynth.Output</c>): stage boundaries and requests at
    /// Debug, retries, repair rounds and writes at Information, fallbacks at Warning; never a prompt, a reply or a key.
    /// <c>AddSpecSynth</c> takes the host's <c>ILoggerFactory</c>; <c>null</c>: no logs. Not bound from configuration.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Called when a ranking (<c>context</c>, <c>generate</c>) finds no usable context index for a project (its
    /// folder, the argument) under <c>[context] index_build = "background"</c>, at most once per project per host and not
    /// while another process builds that index: return <c>true</c> when the host builds it later, off the critical path
    /// (the CLI starts <c>specsynth index --project DIR</c> once it has answered), and the ranking reads every file without
    /// an index; <c>false</c> to build it inline. <c>null</c> (the default): inline. The ranking is the same either way.
    /// Not bound from configuration.</summary>
    public Func<string, bool>? DeferIndexBuild { get; set; }
}
