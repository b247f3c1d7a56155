using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// Azure OpenAI: the conformance suite over Azure's routes (<c>/openai/deployments/{deployment}/chat/completions</c>,
/// <c>api-version</c> query, <c>api-key</c> header), the model being the deployment name.
/// </summary>
public sealed class AzureOpenAIConformanceTests : ProviderConformanceTests
{
    private readonly OpenAIConformanceTests openai = new();

    internal override string Provider => ProviderIds.Azure;

    internal override string ChatPath => "/openai/deployments/test-model/chat/completions";

    internal override string KeyVariable => "AZURE_OPENAI_API_KEY";

    internal override Uri BaseUrl => Server.BaseUrl;

    internal override FakeResponse StreamText(IReadOnlyList<string> deltas, string finish, long input, long output) =>
        OpenAIWire.Stream(deltas, finish, input, output);

    internal override FakeResponse JsonText(string text, string finish, long input, long output) =>
        OpenAIWire.Json(text, finish, input, output);

    internal override FakeResponse Error(int status, string message, string code) => OpenAIWire.Error(status, message, code, code);

    internal override string WireFinish(string ours) => ours;

    [Fact]
    public async Task Request_GoesToTheDeployment_WithTheDefaultApiVersion_AndTheKeyAsApiKey_NotAsBearer()
    {
        Server.Enqueue(OpenAIWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync(Prompt());

        var request = Assert.Single(Server.Requests);
        Assert.Equal("/openai/deployments/test-model/chat/completions", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(SecretKey, request.Header("api-key"));
        Assert.Null(request.Header("authorization"));
    }

    [Fact]
    public async Task ConfiguredApiVersion_IsSent_AndAnEndpointEndingInOpenai_IsTheSameResource()
    {
        Server.Enqueue(OpenAIWire.Json("ok"));
        using var client = Client(Settings() with { ApiVersion = "2025-04-01-preview", BaseUrl = Server.Url("openai/") });

        await client.GetResponseAsync(Prompt());

        var request = Assert.Single(Server.Requests);
        Assert.Equal("/openai/deployments/test-model/chat/completions", request.Path);
        Assert.Equal("?api-version=2025-04-01-preview", request.Query);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ContentFilterFinishReason_IsTheContentFilterStopReason(bool stream)
    {
        Server.Enqueue(stream ? OpenAIWire.Stream(["I can"], "content_filter") : OpenAIWire.Json("I can", "content_filter"));
        using var client = Client();

        var response = stream ? (await StreamAsync(client)).Response : await client.GetResponseAsync(Prompt());

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal("content_filter", StopReasons.From(response.FinishReason));
    }

    [Fact]
    public void MissingEndpoint_IsInvalidInput_NamingTheVariable()
    {
        var env = new Dictionary<string, string> { ["AZURE_OPENAI_API_KEY"] = SecretKey };

        var ex = Assert.Throws<SpecSynthException>(() => ProviderEnvironment.Resolve("azure", "dep", null, [], k => env.GetValueOrDefault(k)));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("AZURE_OPENAI_ENDPOINT", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Was <c>MissingKey_IsAuth_NamingTheVariable</c>: without a key Azure OpenAI signs in with Entra ID (issue 16);
    /// the auth error naming AZURE_OPENAI_API_KEY now comes when that sign-in fails (AzureEntraIdTests).</summary>
    [Fact]
    public void MissingKey_IsEntraId_NotAnError()
    {
        var env = new Dictionary<string, string> { ["AZURE_OPENAI_ENDPOINT"] = "https://res.openai.azure.com/" };

        var settings = ProviderEnvironment.Resolve("azure", "dep", null, [], k => env.GetValueOrDefault(k));

        Assert.Null(settings.ApiKey);
        Assert.True(settings.UsesEntraId);
        Assert.False((settings with { ApiKey = "azure-key" }).UsesEntraId);
    }

    [Fact]
    public void DeploymentName_IsAnUnknownModel_UntilAModelsOverrideNamesIt()
    {
        var catalog = ModelCatalog.BuiltIn;
        Assert.False(catalog.Lookup("azure", "prod-chat").IsKnown);
        Assert.NotNull(catalog.UnknownModelWarning("azure", "prod-chat"));

        var overridden = catalog.With(new Dictionary<string, global::SpecSynth.Config.ModelOverride> { ["prod-chat"] = new() { ContextWindow = 1_000_000, MaxOutputTokens = 32_768 } });

        var info = overridden.Lookup("azure", "prod-chat");
        Assert.True(info.IsKnown);
        Assert.Equal(1_000_000, info.ContextWindow);
        Assert.Null(overridden.UnknownModelWarning("azure", "prod-chat"));
    }

    internal override void AssertSystemAndLimits(JsonElement body, string system, int maxTokens, float? temperature) =>
        openai.AssertSystemAndLimits(body, system, maxTokens, temperature);
}
