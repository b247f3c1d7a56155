using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli;

/// <summary><c>specsynth models</c>: each provider's own list over the fake servers, joined with the catalog and the config's overrides.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private const string AnthropicKey = "sk-ant-api03-MODELS-list-0123456789";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Claude_FollowsThePages_JoinsTheCatalog_AndMarksUnknownModels()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = request => request.Path != "/v1/models" ? null
            : request.Query.Contains("after_id=page-1", StringComparison.Ordinal)
                ? FakeResponse.Json("""{"data":[{"type":"model","id":"claude-experimental-9","display_name":"X"}],"has_more":false,"last_id":"claude-experimental-9"}""")
                : FakeResponse.Json("""{"data":[{"type":"model","id":"claude-sonnet-4-5-20250929","display_name":"Sonnet"}],"has_more":true,"last_id":"page-1"}""");
        var cli = Cli(new() { ["ANTHROPIC_API_KEY"] = AnthropicKey, ["ANTHROPIC_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/') });

        var result = await cli.RunAsync("models", "--provider", "claude", "--json");
        var text = await cli.RunAsync("models", "--provider", "claude");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.All(server.Requests, r => Assert.Equal(AnthropicKey, r.Header("x-api-key")));
        Assert.All(server.Requests, r => Assert.Equal("2023-06-01", r.Header("anthropic-version")));
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("2026-11", doc.RootElement.GetProperty("prices_checked").GetString());
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["claude-experimental-9", "claude-sonnet-4-5-20250929"], models.Keys.Order(StringComparer.Ordinal));
        var sonnet = models["claude-sonnet-4-5-20250929"];
        Assert.True(sonnet.GetProperty("known").GetBoolean());
        Assert.True(sonnet.GetProperty("served").GetBoolean());
        Assert.Equal(200_000, sonnet.GetProperty("context_window").GetInt32());
        Assert.Equal(3m, sonnet.GetProperty("input_per_million").GetDecimal());
        Assert.Equal(3.75m, sonnet.GetProperty("cache_write_per_million").GetDecimal());
        Assert.Equal(7.5m, sonnet.GetProperty("batch_output_per_million").GetDecimal());
        var unknown = models["claude-experimental-9"];
        Assert.False(unknown.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("input_per_million").ValueKind);
        Assert.Contains("unknown to the catalog", text.Out, StringComparison.Ordinal);
        Assert.Contains("list prices checked 2026-11", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(AnthropicKey, result.Out + result.Error + text.Out + text.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAI_ConfigOverridesAddAModel_AndOrgAndProjectHeadersAreSent()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = request => request.Path != "/v1/models" ? null
            : FakeResponse.Json("""{"object":"list","data":[{"id":"gpt-4.1","object":"model"},{"id":"my-finetune","object":"model"}]}""");
        _dir.Write("specsynth.toml", "[llm]\nprovider = \"openai\"\n\n[models.\"my-finetune\"]\nprovider = \"openai\"\ncontext = 64000\nmax_output = 4096\n"
            + "input_usd_per_mtok = 1.5\noutput_usd_per_mtok = 6\ncache_read_usd_per_mtok = 0.5\n");
        var cli = Cli(new()
        {
            ["OPENAI_API_KEY"] = "sk-openai-models",
            ["OPENAI_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/v1",
            ["OPENAI_ORG_ID"] = "org-123",
            ["OPENAI_PROJECT_ID"] = "proj_456",
        });

        var result = await cli.RunAsync("models", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-openai-models", request.Header("authorization"));
        Assert.Equal("org-123", request.Header("openai-organization"));
        Assert.Equal("proj_456", request.Header("openai-project"));
        using var doc = JsonDocument.Parse(result.Out);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        var tuned = models["my-finetune"];
        Assert.Equal("config", tuned.GetProperty("source").GetString());
        Assert.Equal(64_000, tuned.GetProperty("context_window").GetInt32());
        Assert.Equal(4_096, tuned.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal(6m, tuned.GetProperty("output_per_million").GetDecimal());
        Assert.Equal(0.5m, tuned.GetProperty("cache_read_per_million").GetDecimal());
        Assert.Equal("catalog", models["gpt-4.1"].GetProperty("source").GetString());
    }

    [Fact]
    public async Task Ollama_ListsTheTags_WithEachContextLengthFromShow()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = request => request.Path switch
        {
            "/api/tags" => OllamaWire.Tags("qwen2.5-coder:7b", "llama3.1:8b"),
            "/api/show" => request.Body.Contains("llama3.1", StringComparison.Ordinal) ? OllamaWire.Show("llama", 131_072) : OllamaWire.Show("qwen2", 32_768),
            _ => null,
        };
        var cli = Cli(new() { ["OLLAMA_HOST"] = server.BaseUrl.AbsoluteUri.TrimEnd('/') });

        var result = await cli.RunAsync("models", "--provider", "ollama", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(131_072, models["llama3.1:8b"].GetProperty("context_window").GetInt32());
        Assert.Equal(32_768, models["qwen2.5-coder:7b"].GetProperty("context_window").GetInt32());
        Assert.Equal(0m, models["llama3.1:8b"].GetProperty("input_per_million").GetDecimal());
    }

    [Fact]
    public async Task AProviderThatCannotBeAsked_IsAWarning_AndTheCatalogIsListed_MarkedUnconfirmed()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = _ => FakeResponse.Json("""{"error":{"message":"bad key"}}""", 401);
        var cli = Cli(new() { ["OPENAI_API_KEY"] = "sk-openai-refused", ["OPENAI_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/v1" });

        var result = await cli.RunAsync("models", "--provider", "openai");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("warning: openai: openai: listing models at", result.Error, StringComparison.Ordinal);
        Assert.Contains("answered HTTP 401", result.Error, StringComparison.Ordinal);
        Assert.Contains("gpt-4.1", result.Out, StringComparison.Ordinal);
        Assert.Contains("not confirmed by the provider", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-openai-refused", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_ListsTheCatalog_WithoutAnyRequest()
    {
        var result = await Cli(new()).RunAsync("models", "--offline", "--provider", "anthropic", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Contains(models, m => m.GetProperty("id").GetString() == "claude-haiku-4-5");
        Assert.All(models, m => Assert.Equal("claude", m.GetProperty("provider").GetString()));
        Assert.All(models, m => Assert.Equal(JsonValueKind.Null, m.GetProperty("served").ValueKind));
    }

    [Fact]
    public async Task Azure_ListsTheDeployments_WithTheKey_PricedAsTheModelEachServes()
    {
        await using var server = await FakeProviderServer.StartAsync();
        server.Router = request => request.Path == "/openai/deployments" && request.Query == "?api-version=2022-12-01" && request.Header("api-key") == "azure-models-key"
            ? FakeResponse.Json("""{"data":[{"id":"prod-chat","model":"gpt-4.1","status":"succeeded","object":"deployment"},{"id":"legacy","model":"davinci-002","status":"succeeded","object":"deployment"}],"object":"list"}""")
            : FakeResponse.Json("""{"error":{"code":"404","message":"Resource not found"}}""", 404);
        var cli = Cli(new() { ["AZURE_OPENAI_API_KEY"] = "azure-models-key", ["AZURE_OPENAI_ENDPOINT"] = server.BaseUrl.AbsoluteUri });

        var result = await cli.RunAsync("models", "--provider", "azure", "--json");
        var text = await cli.RunAsync("models", "--provider", "azure");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Empty(doc.RootElement.GetProperty("warnings").EnumerateArray());
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["legacy", "prod-chat"], models.Keys.Order(StringComparer.Ordinal));
        var prod = models["prod-chat"];
        Assert.Equal("azure", prod.GetProperty("provider").GetString());
        Assert.Equal("gpt-4.1", prod.GetProperty("model").GetString());
        Assert.True(prod.GetProperty("known").GetBoolean());
        Assert.True(prod.GetProperty("served").GetBoolean());
        Assert.Equal(2m, prod.GetProperty("input_per_million").GetDecimal());
        Assert.False(models["legacy"].GetProperty("known").GetBoolean());
        Assert.Contains("model gpt-4.1", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("azure-models-key", result.Out + result.Error + text.Out + text.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_WithoutADeploymentList_ListsTheDeployableChatModels_WithAnEntraIdToken_AndSaysWhereTheDeploymentsAre()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var token = FakeTokenCredential.Token(1);
        server.Router = request => request.Header("authorization") != "Bearer " + token || request.Header("api-key") is not null
            ? FakeResponse.Json("""{"error":{"code":"401","message":"Unauthorized"}}""", 401)
            : request.Path == "/openai/models" && request.Query == "?api-version=2024-10-21"
                ? FakeResponse.Json("""{"data":[{"id":"gpt-4o-2024-08-06","capabilities":{"chat_completion":true,"embeddings":false},"lifecycle_status":"generally-available","object":"model"},{"id":"text-embedding-3-large","capabilities":{"chat_completion":false,"embeddings":true},"object":"model"}],"object":"list"}""")
                : FakeResponse.Json("""{"error":{"code":"404","message":"Resource not found"}}""", 404);
        var cli = Cli(new() { ["AZURE_OPENAI_ENDPOINT"] = server.BaseUrl.AbsoluteUri });
        cli.ProviderFactory = SpecSynthProviders.Create(new SpecSynthProvidersOptions
        {
            AzureCredential = new FakeTokenCredential(TimeProvider.System, TimeSpan.FromHours(1)),
        });

        var result = await cli.RunAsync("models", "--provider", "azure", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["/openai/deployments", "/openai/models"], server.Requests.Select(r => r.Path));
        using var doc = JsonDocument.Parse(result.Out);
        var model = Assert.Single(doc.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal("gpt-4o-2024-08-06", model.GetProperty("id").GetString());
        Assert.True(model.GetProperty("known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("served").ValueKind);
        Assert.False(model.TryGetProperty("model", out _));
        var warning = Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("not deployment names", warning, StringComparison.Ordinal);
        Assert.Contains("az cognitiveservices account deployment list", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Out + result.Error, StringComparison.Ordinal);
    }

    private CliRunner Cli(Dictionary<string, string> env) =>
        new(_dir.Path, new Dictionary<string, string>(env) { ["SPECSYNTH_HOME"] = _dir.Combine("state"), ["HOME"] = _dir.Combine("home") });
}
