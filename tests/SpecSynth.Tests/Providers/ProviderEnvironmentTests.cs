using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class ProviderEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("claude", "ANTHROPIC_API_KEY")]
    [InlineData("openai", "OPENAI_API_KEY")]
    public void MissingKey_IsAnAuthError_NamingTheVariable(string provider, string variable)
    {
        var ex = Assert.Throws<SpecSynthException>(() => ProviderEnvironment.Resolve(provider, null, null, [], Env()));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.StartsWith($"{variable} is not set", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"[llm.{provider}] api_key_env", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingKey_FailsBeforeAnyRequest()
    {
        await using var server = await Fakes.FakeProviderServer.StartAsync();
        var settings = new ProviderSettings { Provider = "claude", Model = "claude-haiku-4-5", BaseUrl = server.BaseUrl, KeyVariable = "MY_KEY" };

        var ex = Assert.Throws<SpecSynthException>(() => ProviderClientFactory.Create(settings));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.StartsWith("MY_KEY is not set", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void ConfiguredKeyVariables_AreTriedInOrder_AndRemembered()
    {
        var settings = ProviderEnvironment.Resolve("claude", "claude-opus-4-5", null, ["WORK_KEY", "ANTHROPIC_API_KEY"],
            Env(("ANTHROPIC_API_KEY", "sk-ant-fallback")));

        Assert.Equal("sk-ant-fallback", settings.ApiKey);
        Assert.Equal("ANTHROPIC_API_KEY", settings.KeyVariable);
    }

    [Fact]
    public void MissingConfiguredKey_NamesTheFirstConfiguredVariable()
    {
        var ex = Assert.Throws<SpecSynthException>(() => ProviderEnvironment.Resolve("openai", null, null, ["TEAM_OPENAI_KEY"], Env()));

        Assert.StartsWith("TEAM_OPENAI_KEY is not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseUrl_FlagBeatsEnvironment_EnvironmentBeatsConfig()
    {
        var env = Env(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "http://env:1/v1"));

        Assert.Equal(new Uri("http://flag:1/v1"), ProviderEnvironment.Resolve("openai", null, "http://config:1/v1", [], env, "http://flag:1/v1").BaseUrl);
        Assert.Equal(new Uri("http://env:1/v1"), ProviderEnvironment.Resolve("openai", null, "http://config:1/v1", [], env).BaseUrl);
        Assert.Equal(new Uri("http://config:1/v1"), ProviderEnvironment.Resolve("openai", null, "http://config:1/v1", [], Env(("OPENAI_API_KEY", "k"))).BaseUrl);
        Assert.Null(ProviderEnvironment.Resolve("openai", null, null, [], Env(("OPENAI_API_KEY", "k"))).BaseUrl);
    }

    [Fact]
    public void AnthropicBaseUrl_ComesFromItsVariable()
    {
        var settings = ProviderEnvironment.Resolve("claude", null, null, [], Env(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", "http://proxy:8080")));

        Assert.Equal(new Uri("http://proxy:8080"), settings.BaseUrl);
        Assert.Equal("claude-sonnet-4-5", settings.Model);
    }

    [Theory]
    [InlineData("http://localhost:8000/v1")]
    [InlineData("http://127.0.0.1:1234/v1")]
    [InlineData("http://[::1]:8080/v1")]
    public void LocalOpenAICompatibleServer_NeedsNoKey(string url)
    {
        var settings = ProviderEnvironment.Resolve("openai", "local-model", null, [], Env(("OPENAI_BASE_URL", url)));

        Assert.Null(settings.ApiKey);
        Assert.Equal(new Uri(url), settings.BaseUrl);
    }

    [Fact]
    public void RemoteOpenAICompatibleServer_StillNeedsAKey()
    {
        var ex = Assert.Throws<SpecSynthException>(() =>
            ProviderEnvironment.Resolve("openai", null, null, [], Env(("OPENAI_BASE_URL", "https://openrouter.ai/api/v1"))));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
    }

    [Theory]
    [InlineData(null, "http://localhost:11434/")]
    [InlineData("", "http://localhost:11434/")]
    [InlineData("gpu-box", "http://gpu-box:11434/")]
    [InlineData("gpu-box:9999", "http://gpu-box:9999/")]
    [InlineData("0.0.0.0", "http://localhost:11434/")]
    [InlineData("0.0.0.0:11500", "http://localhost:11500/")]
    [InlineData("http://gpu-box:11434", "http://gpu-box:11434/")]
    [InlineData("https://ollama.example.com", "https://ollama.example.com/")]
    [InlineData("http://example.com", "http://example.com/")]
    [InlineData("127.0.0.1:11434", "http://127.0.0.1:11434/")]
    public void OllamaHost_IsParsedLikeTheOllamaCli(string? value, string expected)
    {
        Assert.Equal(new Uri(expected), ProviderEnvironment.ParseOllamaHost(value));
    }

    [Fact]
    public void Ollama_NeedsNoKey_AndReadsOllamaHost()
    {
        var settings = ProviderEnvironment.Resolve("ollama", "llama3", null, [], Env(("OLLAMA_HOST", "box:1234")));

        Assert.Null(settings.ApiKey);
        Assert.Equal(new Uri("http://box:1234/"), settings.BaseUrl);
    }

    [Fact]
    public void BadUrlsAndProviders_AreInvalidInput()
    {
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<SpecSynthException>(() =>
            ProviderEnvironment.Resolve("gemini", null, null, [], Env())).Kind);
        Assert.Equal(ErrorKind.InvalidInput, Assert.Throws<SpecSynthException>(() =>
            ProviderEnvironment.Resolve("openai", null, "ftp://x", [], Env(("OPENAI_API_KEY", "k")))).Kind);
    }

    [Fact]
    public void ToString_MasksTheKey()
    {
        var settings = new ProviderSettings { Provider = "claude", Model = "m", ApiKey = "sk-ant-very-secret" };

        Assert.DoesNotContain("sk-ant-very-secret", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("ApiKey = ***", settings.ToString(), StringComparison.Ordinal);
    }
}
