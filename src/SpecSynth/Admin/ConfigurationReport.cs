using SpecSynth.Config;
using SpecSynth.Usage;

namespace SpecSynth;

/// <summary>The effective configuration with every secret masked (what <c>specsynth config show --json</c> prints).</summary>
/// <param name="Providers">The provider chain: the first answers, the rest are the fallback chain.</param>
/// <param name="ModelOverride">The model that overrides the first provider's (flag or <c>SPECSYNTH_MODEL</c>), or <c>null</c>.</param>
/// <param name="Sources">The files the configuration was read from, lowest precedence first.</param>
/// <param name="StateDir">The state folder (journal, ledger, history).</param>
/// <param name="Llm">Each provider's section, by name in ordinal order.</param>
/// <param name="Cache">The response cache (<c>[cache]</c>).</param>
/// <param name="Shared">State shared through Redis (<c>[shared]</c>).</param>
/// <param name="Audit">The audit log (<c>[audit]</c>).</param>
/// <param name="Budget">Cost budgets (<c>[budget]</c>).</param>
/// <param name="Routing">Model routing (<c>[routing]</c>).</param>
/// <param name="Context">The prompt's context budget (<c>[context]</c>).</param>
public sealed record ConfigurationReport(IReadOnlyList<string> Providers, string? ModelOverride, IReadOnlyList<string> Sources, string StateDir,
    IReadOnlyDictionary<string, ConfigurationReport.ProviderSection> Llm, ConfigurationReport.CacheSection Cache,
    ConfigurationReport.SharedSection Shared, AuditOptions Audit, ConfigurationReport.BudgetSection Budget,
    ConfigurationReport.RoutingSection Routing, ContextOptions Context)
{
    /// <summary>Traces and metrics (<c>[telemetry]</c>); the endpoint's credentials, if any, are masked.</summary>
    public Telemetry.TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>The <c>[edits]</c> section: when the generate prompt asks for SEARCH/REPLACE edits.</summary>
    public EditOptions Edits { get; init; } = new();

    /// <summary>One provider's section (<c>[llm.NAME]</c>).</summary>
    /// <param name="Model">The configured model id, or <c>null</c>.</param>
    /// <param name="MaxTokens">The configured reply cap, or <c>null</c>.</param>
    /// <param name="Temperature">The configured temperature, or <c>null</c> (not sent).</param>
    /// <param name="BaseUrl">The base URL with its credentials masked, or <c>null</c>.</param>
    /// <param name="CustomSystemPrompt">Whether a custom system prompt is configured (its text is not shown).</param>
    /// <param name="ApiKeyEnv">Each API key variable and whether it is set (<c>"set (hidden)"</c> or <c>"not set"</c>).</param>
    public sealed record ProviderSection(string? Model, int? MaxTokens, float? Temperature, string? BaseUrl, bool CustomSystemPrompt,
        IReadOnlyDictionary<string, string> ApiKeyEnv)
    {
        /// <summary>Where the key would come from, never the key: <c>environment ($NAME)</c>, <c>api_key_command</c>,
        /// <c>stored key (STORE)</c> or <c>none</c> (in that order of precedence); <c>null</c> for the mock.</summary>
        public string? KeySource { get; init; }

        /// <summary>The configured <c>api_key_command</c> (a command, not a key; anything looking like a secret masked), or <c>null</c>.</summary>
        public string? ApiKeyCommand { get; init; }

        /// <summary>Azure OpenAI: the <c>api-version</c> sent (configured, or the default); <c>null</c> for other providers.</summary>
        public string? ApiVersion { get; init; }
    }

    /// <summary>The response cache.</summary>
    /// <param name="Enabled">Whether replies are cached.</param>
    /// <param name="TtlHours">How long entries live, in hours.</param>
    /// <param name="Url">The Redis URL with its password masked, or <c>null</c> for the local cache.</param>
    public sealed record CacheSection(bool Enabled, double TtlHours, string? Url);

    /// <summary>State shared by a team.</summary>
    /// <param name="Redis">The Redis URL with its password masked, or <c>null</c>.</param>
    public sealed record SharedSection(string? Redis);

    /// <summary>Cost budgets.</summary>
    /// <param name="DailyUsd">The daily budget in USD, or <c>null</c>.</param>
    /// <param name="MonthlyUsd">The monthly budget in USD, or <c>null</c>.</param>
    /// <param name="MinOutputTokens">The smallest reply a request may be lowered to so that it fits a budget.</param>
    public sealed record BudgetSection(decimal? DailyUsd, decimal? MonthlyUsd, int MinOutputTokens);

    /// <summary>Model routing; each target as <c>provider:model</c>, or <c>null</c> when not configured.</summary>
    /// <param name="Generate">The target of <c>generate</c>.</param>
    /// <param name="Explain">The target of <c>explain</c>.</param>
    /// <param name="Review">The target of <c>review</c>.</param>
    /// <param name="SmallSpecTokens">The size under which a spec is small, in tokens.</param>
    /// <param name="SmallSpec">The target of a small spec.</param>
    /// <param name="OnBudgetExhausted">The target once a budget is exhausted.</param>
    public sealed record RoutingSection(string? Generate, string? Explain, string? Review, int? SmallSpecTokens, string? SmallSpec,
        string? OnBudgetExhausted);
}
