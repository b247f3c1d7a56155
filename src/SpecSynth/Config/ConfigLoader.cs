using Tomlyn;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>
/// Builds the effective <see cref="SpecSynthConfig"/>: defaults &lt; user file &lt; project file &lt;
/// environment (<c>SPECSYNTH_PROVIDER</c>, <c>SPECSYNTH_MODEL</c>). Command-line flags are applied by the caller
/// with <c>with</c> expressions. Unknown keys and wrong types are errors naming the file, line and key.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The project configuration file name.</summary>
    public const string ProjectFileName = "specsynth.toml";

    /// <summary>Loads the configuration for a project folder.</summary>
    /// <param name="projectDir">The project folder; its <c>specsynth.toml</c> is read when present.</param>
    /// <param name="getEnv">Reads an environment variable (<c>null</c> when unset).</param>
    /// <exception cref="SpecSynthException">A file is invalid (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static SpecSynthConfig Load(string projectDir, Func<string, string?> getEnv)
    {
        ArgumentNullException.ThrowIfNull(getEnv);
        var config = new SpecSynthConfig();
        var userFile = StatePaths.UserConfigFile(getEnv);
        var projectFile = Path.Combine(Path.GetFullPath(projectDir), ProjectFileName);
        foreach (var file in new[] { userFile, projectFile }.Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(file))
            {
                config = ApplyFile(config, file, ReadText(file));
            }
        }
        return ApplyEnvironment(config, getEnv);
    }

    /// <summary>Applies one TOML document on top of <paramref name="config"/>.</summary>
    public static SpecSynthConfig ApplyFile(SpecSynthConfig config, string file, string toml)
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(toml, new TomlSerializerOptions { SourceName = file })
                ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"{file}:{ex.Line ?? 0}:{ex.Column ?? 0}: invalid TOML: {FirstLine(ex.Message)}", ex);
        }
        var reader = new TomlConfigReader(file, toml);
        return reader.Apply(config, root) with { Sources = [.. config.Sources, file] };
    }

    /// <summary>Applies <c>SPECSYNTH_PROVIDER</c> (a comma-separated chain) and <c>SPECSYNTH_MODEL</c>.</summary>
    public static SpecSynthConfig ApplyEnvironment(SpecSynthConfig config, Func<string, string?> getEnv)
    {
        var providers = getEnv("SPECSYNTH_PROVIDER");
        if (!string.IsNullOrWhiteSpace(providers))
        {
            config = config with { Providers = ParseProviderList(providers, "SPECSYNTH_PROVIDER") };
        }
        var model = getEnv("SPECSYNTH_MODEL");
        if (!string.IsNullOrWhiteSpace(model))
        {
            config = config with { ModelOverride = model.Trim() };
        }
        return config;
    }

    /// <summary>Parses <c>claude,openai</c> into a validated provider chain.</summary>
    /// <param name="value">The comma-separated names.</param>
    /// <param name="origin">Where the value came from, for the error message.</param>
    public static IReadOnlyList<string> ParseProviderList(string value, string origin)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"{origin}: no provider named.");
        }
        foreach (var name in names)
        {
            ValidateProvider(name, origin);
        }
        return names;
    }

    internal static void ValidateProvider(string name, string origin)
    {
        if (!SpecSynthConfig.Defaults.KnownProviders.Contains(name))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"{origin}: unknown provider '{name}'. Known providers: {string.Join(", ", SpecSynthConfig.Defaults.KnownProviders)}.");
        }
    }

    private static string ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"{file}: cannot read configuration: {ex.Message}", ex);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
