using SpecSynth.Config;

namespace SpecSynth;

/// <summary>
/// The effective configuration of a project, as <c>specsynth config show</c> prints it: defaults &lt; the user file &lt; the
/// project's <c>specsynth.toml</c> &lt; the environment (<c>SPECSYNTH_PROVIDER</c>, <c>SPECSYNTH_MODEL</c>), and the
/// state folder specsynth keeps its journal, ledger, history and cache in.
/// </summary>
public static class SpecSynthConfiguration
{
    /// <summary>The project configuration file name (<c>specsynth.toml</c>).</summary>
    public const string ProjectFileName = ConfigLoader.ProjectFileName;

    /// <summary>Loads (and so validates) the effective configuration of a project folder.</summary>
    /// <param name="projectDirectory">The project folder; its <c>specsynth.toml</c> is read when present.</param>
    /// <param name="environment">Reads an environment variable (<c>null</c> when unset); <c>null</c> for the process environment.</param>
    /// <returns>The configuration; it holds no secret (API keys are only ever read from the environment).</returns>
    /// <exception cref="SpecSynthException">A configuration file is invalid; the message names the file, line and key
    /// (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static SpecSynthConfig Load(string projectDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        return ConfigLoader.Load(projectDirectory, environment ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>The state folder (journal, usage ledger, history): <c>$SPECSYNTH_HOME</c>, else
    /// <c>$XDG_STATE_HOME/specsynth</c>, else <c>~/.local/state/specsynth</c>.</summary>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    public static string StateDirectory(Func<string, string?>? environment = null) =>
        StatePaths.StateDir(environment ?? Environment.GetEnvironmentVariable);

    /// <summary>Loads a project's configuration and describes it with every secret masked.</summary>
    /// <param name="projectDirectory">The project folder.</param>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    /// <exception cref="SpecSynthException">A configuration file is invalid (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static ConfigurationReport Show(string projectDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return Describe(Load(projectDirectory, environment), environment);
    }

    /// <summary>Describes <paramref name="config"/> with every secret masked: keys are never shown, only whether their
    /// variables are set; credentials in URLs are masked.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="environment">Reads an environment variable (whether key variables are set, the state folder);
    /// <c>null</c> for the process environment.</param>
    public static ConfigurationReport Describe(SpecSynthConfig config, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var getEnv = environment ?? Environment.GetEnvironmentVariable;
        var keys = new Providers.Keys.ApiKeyResolver(getEnv, Hosting.CompositionRoot.SystemClock);
        return new ConfigurationReport(
            config.Providers,
            config.ModelOverride,
            config.Sources,
            StatePaths.StateDir(getEnv),
            config.Llm.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => new ConfigurationReport.ProviderSection(
                p.Value.Model, p.Value.MaxTokens, p.Value.Temperature,
                p.Value.BaseUrl is { } baseUrl ? Projects.SecretRedactor.MaskUrl(baseUrl) : null, p.Value.SystemPrompt is not null,
                p.Value.ApiKeyEnv.ToDictionary(v => v, v => string.IsNullOrEmpty(getEnv(v)) ? "not set" : "set (hidden)"))
            {
                KeySource = p.Key == "mock" ? null : keys.Source(p.Key, p.Value),
                ApiKeyCommand = p.Value.ApiKeyCommand is { } command ? Projects.SecretRedactor.Redact(command) : null,
                ApiVersion = p.Key == Providers.ProviderIds.Azure ? p.Value.ApiVersion ?? Providers.ProviderSettings.DefaultAzureApiVersion : null,
            }),
            new ConfigurationReport.CacheSection(config.Cache.Enabled, config.Cache.Ttl.TotalHours,
                config.Cache.Url is { } url ? State.RedisUrl.Redact(url) : null),
            new ConfigurationReport.SharedSection(config.Shared.Redis is { } redis ? State.RedisUrl.Redact(redis) : null),
            config.Audit,
            new ConfigurationReport.BudgetSection(config.Budget.DailyUsd, config.Budget.MonthlyUsd, config.Budget.MinOutputTokens),
            new ConfigurationReport.RoutingSection(config.Routing.Generate?.ToString(), config.Routing.Explain?.ToString(),
                config.Routing.Review?.ToString(), config.Routing.SmallSpecTokens, config.Routing.SmallSpec?.ToString(),
                config.Routing.OnBudgetExhausted?.ToString()),
            config.Context)
        {
            Telemetry = config.Telemetry,
            Edits = config.Edits,
        };
    }
}
