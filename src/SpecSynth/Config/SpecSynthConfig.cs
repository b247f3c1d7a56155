namespace SpecSynth.Config;

/// <summary>The effective configuration: defaults, then the user file, the project file, the environment
/// and the command line, in rising precedence. Immutable; holds no secret.</summary>
public sealed record SpecSynthConfig
{
    /// <summary>The providers to try, in order (the first answers; the rest are the fallback chain).</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["claude"];

    /// <summary>A model id that overrides the first provider's configured model, or <c>null</c>.</summary>
    public string? ModelOverride { get; init; }

    /// <summary>Settings per provider name (<c>claude</c>, <c>openai</c>, <c>ollama</c>, <c>mock</c>).</summary>
    public IReadOnlyDictionary<string, ProviderConfig> Llm { get; init; } = Defaults.ProviderConfigs;

    /// <summary>Retries, circuit breaker, stream idle timeout and continuation (<c>[retry]</c>, <c>[circuit_breaker]</c>).</summary>
    public SpecSynth.Middleware.ResilienceOptions Resilience { get; init; } = new();

    /// <summary>External syntax checkers by language (<c>[validate]</c>, e.g. <c>python = "python3 -m py_compile {file}"</c>).</summary>
    public IReadOnlyDictionary<string, string> Validate { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The response cache (<c>[cache]</c>).</summary>
    public Caching.CacheOptions Cache { get; init; } = new();

    /// <summary>State shared by a team through Redis (<c>[shared]</c>).</summary>
    public State.SharedStateOptions Shared { get; init; } = new();

    /// <summary>The audit log (<c>[audit]</c>).</summary>
    public Usage.AuditOptions Audit { get; init; } = new();

    /// <summary>Cost budgets (<c>[budget]</c>, and <c>--max-cost</c> for the run).</summary>
    public Budget.BudgetOptions Budget { get; init; } = new();

    /// <summary>Model routing per operation and size, and the fallback when a budget is exhausted (<c>[routing]</c>).</summary>
    public Routing.RoutingOptions Routing { get; init; } = new();

    /// <summary>The generate prompt's context budget (<c>[context]</c>).</summary>
    public ContextOptions Context { get; init; } = new();

    /// <summary>Traces and metrics (<c>[telemetry]</c>): the CLI's OTLP export and whether spans carry prompts and replies.</summary>
    public SpecSynth.Telemetry.TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>Limits and prices overriding or adding to the built-in model catalog (<c>[models."ID"]</c>), by model id.</summary>
    public IReadOnlyDictionary<string, ModelOverride> Models { get; init; } = new Dictionary<string, ModelOverride>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the generate prompt asks for SEARCH/REPLACE edits instead of whole files (<c>[edits]</c>).</summary>
    public EditOptions Edits { get; init; } = new();

    /// <summary>Batch generation through the providers' batch APIs (<c>[batch]</c>).</summary>
    public BatchOptions Batch { get; init; } = new();

    /// <summary>Set for a run whose generate calls go through a batch: the provider's per-call time limit is raised to a day
    /// (the call waits for the batch).</summary>
    internal bool InBatch { get; init; }

    /// <summary>The files the configuration was read from, lowest precedence first.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The settings of one provider (defaults when it has no section).</summary>
    public ProviderConfig For(string provider) =>
        Llm.TryGetValue(provider, out var config) ? config : new ProviderConfig();

    /// <summary>Built-in defaults.</summary>
    public static class Defaults
    {
        /// <summary>The providers specsynth knows.</summary>
        public static IReadOnlyList<string> KnownProviders { get; } = ["claude", "openai", "azure", "ollama", "mock"];

        /// <summary>The default section of each provider.</summary>
        public static IReadOnlyDictionary<string, ProviderConfig> ProviderConfigs { get; } =
            new Dictionary<string, ProviderConfig>(StringComparer.Ordinal)
            {
                ["claude"] = new() { ApiKeyEnv = ["ANTHROPIC_API_KEY"], Model = "claude-sonnet-4-5", MaxTokens = 16000 },
                ["openai"] = new() { ApiKeyEnv = ["OPENAI_API_KEY"], Model = "gpt-4.1", MaxTokens = 16000 },
                // The model of Azure OpenAI is the deployment name: no default, a run without one says how to give it.
                ["azure"] = new() { ApiKeyEnv = ["AZURE_OPENAI_API_KEY"], Model = null, MaxTokens = 16000 },
                ["ollama"] = new() { Model = "qwen2.5-coder:7b", MaxTokens = 8192, BaseUrl = null },
                ["mock"] = new() { Model = "mock-1", MaxTokens = 8192 },
            };
    }
}
