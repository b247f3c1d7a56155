using SpecSynth.Config;

namespace SpecSynth.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Key, v => v.Value);
        return k => map.TryGetValue(k, out var v) ? v : null;
    }

    [Fact]
    public void Defaults_WhenNoFileExists_UseClaudeWithItsKeyVariable()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(dir.Path, Env(("SPECSYNTH_HOME", dir.Combine("home"))));
        Assert.Equal(["claude"], config.Providers);
        Assert.Equal(["ANTHROPIC_API_KEY"], config.For("claude").ApiKeyEnv);
        Assert.Empty(config.Sources);
    }

    [Fact]
    public void ProjectFile_OverridesUserFile_AndEnvironmentOverridesBoth()
    {
        using var dir = new TempDir();
        dir.Write("home/config.toml", "[llm]\nprovider = \"openai\"\n[llm.openai]\nmodel = \"user-model\"\nmax_tokens = 100\n");
        dir.Write("project/specsynth.toml", "[llm.openai]\nmodel = \"project-model\"\n");
        var env = Env(("SPECSYNTH_HOME", dir.Combine("home")));

        var config = ConfigLoader.Load(dir.Combine("project"), env);

        Assert.Equal(["openai"], config.Providers);
        Assert.Equal("project-model", config.For("openai").Model);
        Assert.Equal(100, config.For("openai").MaxTokens);
        Assert.Equal(2, config.Sources.Count);

        var withEnv = ConfigLoader.Load(dir.Combine("project"), Env(("SPECSYNTH_HOME", dir.Combine("home")),
            ("SPECSYNTH_PROVIDER", "ollama,mock"), ("SPECSYNTH_MODEL", "env-model")));
        Assert.Equal(["ollama", "mock"], withEnv.Providers);
        Assert.Equal("env-model", withEnv.ModelOverride);
    }

    [Fact]
    public void SeedSections_AreRead()
    {
        const string toml = """
            [llm]
            provider = "claude"
            fallback = ["openai", "ollama"]

            [llm.claude]
            api_key_env = ["ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY_2"]
            model = "claude-opus-4-1"
            max_tokens = 4096
            temperature = 0.2
            system_prompt = "Be terse."

            [llm.ollama]
            host = "localhost:11434"
            model = "llama3.1"
            """;
        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), "specsynth.toml", toml);
        Assert.Equal(["claude", "openai", "ollama"], config.Providers);
        var claude = config.For("claude");
        Assert.Equal(["ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY_2"], claude.ApiKeyEnv);
        Assert.Equal("claude-opus-4-1", claude.Model);
        Assert.Equal(4096, claude.MaxTokens);
        Assert.Equal(0.2f, claude.Temperature);
        Assert.Equal("Be terse.", claude.SystemPrompt);
        Assert.Equal("localhost:11434", config.For("ollama").BaseUrl);
    }

    [Theory]
    [InlineData("[llm.claude]\nmodle = \"x\"\n", 2, "llm.claude.modle")]
    [InlineData("[llm]\nprovider = \"claude\"\n\n[llm.gemini]\nmodel = \"x\"\n", 4, "llm.gemini")]
    [InlineData("[llm.openai]\nmax_tokens = -5\n", 2, "llm.openai.max_tokens")]
    [InlineData("[llm.openai]\ntemperature = \"hot\"\n", 2, "llm.openai.temperature")]
    [InlineData("[retry]\nmax_attempts = 0\n", 2, "retry.max_attempts")]
    [InlineData("[retry]\nbackoff = 3\n", 2, "retry.backoff")]
    [InlineData("[budgets]\ndaily_usd = 3\n", 1, "budgets")]
    [InlineData("[llm]\nprovider = \"gpt\"\n", 2, "gpt")]
    public void InvalidFile_NamesFileLineAndKey(string toml, int line, string key)
    {
        var ex = Assert.Throws<SpecSynthException>(() => ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", toml));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.StartsWith($"/p/specsynth.toml:{line}:", ex.Message, StringComparison.Ordinal);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_NamesFileAndLine()
    {
        var ex = Assert.Throws<SpecSynthException>(() =>
            ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", "[llm]\nprovider = \n"));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.StartsWith("/p/specsynth.toml:2:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProviderInEnvironment_IsBadInput()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<SpecSynthException>(() =>
            ConfigLoader.Load(dir.Path, Env(("SPECSYNTH_HOME", dir.Path), ("SPECSYNTH_PROVIDER", "claude,nope"))));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatePaths_FollowSpecsynthHomeThenXdg()
    {
        Assert.Equal("/s", StatePaths.StateDir(Env(("SPECSYNTH_HOME", "/s"))));
        Assert.Equal("/x/state/specsynth", StatePaths.StateDir(Env(("XDG_STATE_HOME", "/x/state"), ("HOME", "/h"))));
        Assert.Equal("/h/.local/state/specsynth", StatePaths.StateDir(Env(("HOME", "/h"))));
        Assert.Equal("/h/.config/specsynth/config.toml", StatePaths.UserConfigFile(Env(("HOME", "/h"))));
        Assert.Equal("/c/specsynth", StatePaths.CacheDir(Env(("XDG_CACHE_HOME", "/c"), ("HOME", "/h"))));
    }

    [Fact]
    public void ValidateSection_NamesExternalCheckersByLanguage()
    {
        var config = ConfigLoader.ApplyFile(new SpecSynthConfig(), "specsynth.toml",
            "[validate]\npython = \"python3 -m py_compile {file}\"\nGo = \"gofmt -l {file}\"\n");
        Assert.Equal("python3 -m py_compile {file}", config.Validate["python"]);
        Assert.Equal("gofmt -l {file}", config.Validate["go"]);

        var ex = Assert.Throws<SpecSynthException>(() =>
            ConfigLoader.ApplyFile(new SpecSynthConfig(), "/p/specsynth.toml", "[validate]\npython = \"python3 -m py_compile\"\n"));
        Assert.StartsWith("/p/specsynth.toml:2:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("{file}", ex.Message, StringComparison.Ordinal);
    }
}
