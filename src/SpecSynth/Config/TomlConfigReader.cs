using System.Globalization;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads the known keys of one parsed <c>specsynth.toml</c>; anything else is an error with a line number.</summary>
internal sealed partial class TomlConfigReader(string file, string text)
{
    private static readonly string[] LlmKeys = ["provider", "fallback"];
    private static readonly string[] ProviderKeys = ["api_key_env", "api_key_command", "api_key_shell", "api_key_ttl", "model", "max_tokens", "temperature", "system_prompt", "base_url", "host",
        "requests_per_minute", "tokens_per_minute", "api_version"];

    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable root)
    {
        foreach (var (key, value) in root)
        {
            config = key switch
            {
                "llm" => ApplyLlm(config, AsTable(value, null, key)),
                "validate" => ApplyValidate(config, AsTable(value, null, key)),
                "retry" => config with { Resilience = new TomlResilienceReader(this).ApplyRetry(config.Resilience, AsTable(value, null, key)) },
                "circuit_breaker" => config with { Resilience = new TomlResilienceReader(this).ApplyBreaker(config.Resilience, AsTable(value, null, key)) },
                "cache" => new TomlCacheReader(this).ApplyCache(config, AsTable(value, null, key)),
                "shared" => new TomlCacheReader(this).ApplyShared(config, AsTable(value, null, key)),
                "audit" => new TomlAuditReader(this).Apply(config, AsTable(value, null, key)),
                "budget" => new TomlBudgetReader(this).ApplyBudget(config, AsTable(value, null, key)),
                "routing" => new TomlBudgetReader(this).ApplyRouting(config, AsTable(value, null, key)),
                "context" => new TomlContextReader(this).Apply(config, AsTable(value, null, key)),
                "telemetry" => new TomlTelemetryReader(this).Apply(config, AsTable(value, null, key)),
                "models" => new TomlModelsReader(this).Apply(config, AsTable(value, null, key)),
                "edits" => new TomlEditsReader(this).Apply(config, AsTable(value, null, key)),
                "batch" => new TomlBatchReader(this).Apply(config, AsTable(value, null, key)),
                _ => throw Error(null, key, $"unknown section or key '{key}' (known: [llm], [llm.claude], [llm.openai], [llm.azure], [llm.ollama], [retry], [circuit_breaker], [validate], [cache], [shared], [audit], [budget], [routing], [context], [telemetry], [models.\"ID\"], [edits], [batch])"),
            };
        }
        return config;
    }

    private SpecSynthConfig ApplyLlm(SpecSynthConfig config, TomlTable llm)
    {
        IReadOnlyList<string>? primary = null;
        IReadOnlyList<string>? fallback = null;
        var providers = new Dictionary<string, ProviderConfig>(config.Llm, StringComparer.Ordinal);
        foreach (var (key, value) in llm)
        {
            switch (key)
            {
                case "provider":
                    primary = ProviderNames(value, "llm", key);
                    break;
                case "fallback":
                    fallback = ProviderNames(value, "llm", key);
                    break;
                default:
                    if (value is not TomlTable section)
                    {
                        throw Error("llm", key, $"unknown key 'llm.{key}' (known: {string.Join(", ", LlmKeys)}, or a [llm.NAME] section)");
                    }
                    if (!SpecSynthConfig.Defaults.KnownProviders.Contains(key))
                    {
                        throw Error(null, $"llm.{key}", $"unknown provider section [llm.{key}] (known: {string.Join(", ", SpecSynthConfig.Defaults.KnownProviders)})");
                    }
                    providers[key] = ApplyProvider(config.For(key), section, "llm." + key);
                    break;
            }
        }
        var chain = primary ?? (fallback is null ? config.Providers : config.Providers.Take(1).ToArray());
        if (fallback is not null)
        {
            chain = [.. chain, .. fallback.Where(f => !chain.Contains(f))];
        }
        return config with { Llm = providers, Providers = chain };
    }

    private SpecSynthConfig ApplyValidate(SpecSynthConfig config, TomlTable validate)
    {
        var checkers = new Dictionary<string, string>(config.Validate, StringComparer.Ordinal);
        foreach (var (language, value) in validate)
        {
            var command = String(value, "validate", language);
            if (!command.Contains("{file}", StringComparison.Ordinal))
            {
                throw Error("validate", language, $"'validate.{language}' must contain {{file}} where the file to check goes");
            }
            checkers[language.ToLowerInvariant()] = command;
        }
        return config with { Validate = checkers };
    }

    private ProviderConfig ApplyProvider(ProviderConfig config, TomlTable section, string table)
    {
        foreach (var (key, value) in section)
        {
            config = key switch
            {
                "api_key_env" => config with { ApiKeyEnv = Strings(value, table, key) },
                "api_key_command" => config with { ApiKeyCommand = String(value, table, key) },
                "api_key_shell" => config with { ApiKeyShell = Bool(value, table, key) },
                "api_key_ttl" => config with { ApiKeyTtl = TimeSpan.FromSeconds(IntInRange(value, table, key, 0, 86_400)) },
                "model" => config with { Model = String(value, table, key) },
                "max_tokens" => config with { MaxTokens = IntInRange(value, table, key, 1, 1_000_000) },
                "temperature" => config with { Temperature = (float)NumberInRange(value, table, key, 0, 2) },
                "system_prompt" => config with { SystemPrompt = String(value, table, key) },
                "base_url" or "host" => config with { BaseUrl = Url(value, table, key) },
                "requests_per_minute" => config with { RequestsPerMinute = IntInRange(value, table, key, 1, 1_000_000) },
                "tokens_per_minute" => config with { TokensPerMinute = IntInRange(value, table, key, 1, 1_000_000_000) },
                "api_version" => config with { ApiVersion = ApiVersion(value, table, key) },
                _ => throw Error(table, key, $"unknown key '{table}.{key}' (known: {string.Join(", ", ProviderKeys)})"),
            };
        }
        return config;
    }

    private string ApiVersion(object value, string table, string key)
    {
        if (table != "llm.azure")
        {
            throw Error(table, key, $"'{table}.{key}' applies only to [llm.azure]");
        }
        var text = String(value, table, key).Trim();
        return ApiVersionPattern().IsMatch(text)
            ? text
            : throw Error(table, key, $"'{table}.{key}' must be an Azure OpenAI API version like 2024-10-21 or 2025-04-01-preview, got {Show(value)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$")]
    private static partial System.Text.RegularExpressions.Regex ApiVersionPattern();

    private IReadOnlyList<string> ProviderNames(object value, string table, string key)
    {
        var names = Strings(value, table, key);
        foreach (var name in names)
        {
            if (!SpecSynthConfig.Defaults.KnownProviders.Contains(name))
            {
                throw Error(table, key, $"unknown provider '{name}' in '{table}.{key}' (known: {string.Join(", ", SpecSynthConfig.Defaults.KnownProviders)})");
            }
        }
        return names;
    }

    private string String(object value, string table, string key) =>
        value is string s && s.Length > 0 ? s : throw Error(table, key, $"'{table}.{key}' must be a non-empty string");

    private bool Bool(object value, string table, string key) =>
        value is bool b ? b : throw Error(table, key, $"'{table}.{key}' must be true or false, got {Show(value)}");

    private IReadOnlyList<string> Strings(object value, string table, string key) => value switch
    {
        string s when s.Length > 0 => [s],
        TomlArray a when a.Count > 0 && a.All(v => v is string { Length: > 0 }) => [.. a.Cast<string>()],
        _ => throw Error(table, key, $"'{table}.{key}' must be a string or a non-empty array of strings"),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or an error naming file, line, key and range.</summary>
    internal int IntInRange(object value, string table, string key, int min, int max) =>
        value is long n && n >= min && n <= max
            ? (int)n
            : throw Error(table, key, string.Create(CultureInfo.InvariantCulture, $"'{table}.{key}' must be a whole number from {min} to {max}, got {Show(value)}"));

    /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/> (an integer or a decimal), or an error naming
    /// file, line, key and range. A minimum of 0.001 reads "above 0".</summary>
    internal double NumberInRange(object value, string table, string key, double min, double max, string unit = "")
    {
        double? n = value switch { double d => d, long l => l, _ => null };
        if (n is { } x && double.IsFinite(x) && x >= min && x <= max)
        {
            return x;
        }
        var range = min == 0.001 ? $"above 0 and at most {max}{unit}" : $"from {min} to {max}{unit}";
        throw Error(table, key, string.Create(CultureInfo.InvariantCulture, $"'{table}.{key}' must be a number {range}, got {Show(value)}"));
    }

    /// <summary>A configured value as the user wrote it, for errors.</summary>
    private static string Show(object value) => value switch
    {
        string s => $"\"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => "a " + value.GetType().Name.Replace("Toml", "", StringComparison.Ordinal).ToLowerInvariant(),
    };

    private string Url(object value, string table, string key)
    {
        var s = String(value, table, key);
        var withScheme = s.Contains("://", StringComparison.Ordinal) ? s : "http://" + s;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? s
            : throw Error(table, key, $"'{table}.{key}' must be an http(s) URL, got '{Projects.SecretRedactor.MaskUrl(s)}'");
    }

    private static TomlTable AsTable(object value, string? table, string key) =>
        value as TomlTable ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"'{(table is null ? key : table + "." + key)}' must be a table");

    internal SpecSynthException Error(string? table, string key, string message)
    {
        var line = TomlKeyLocator.FindLine(text, table, key);
        return new SpecSynthException(ErrorKind.InvalidInput,
            string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {message}."));
    }
}
