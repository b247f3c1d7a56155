using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary><c>--provider azure</c> end to end against a fake that speaks Azure OpenAI's routes and <c>api-key</c> header.</summary>
public sealed class AzureOverCliTests
{
    private const string FastRetries = "[retry]\nmax_attempts = 2\ninitial_delay = 0.01\nmax_delay = 0.02\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Generate_GoesToTheDeployment_WithApiKeyAndApiVersion_AndWritesTheFiles(bool stream)
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
        var request = Assert.Single(h.ChatRequests);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(h.Case.Key, request.Header("api-key"));
        Assert.Null(request.Header("authorization"));
        Assert.Equal(stream, ProviderCase.AskedToStream(request.Json));
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("azure", root.GetProperty("provider").GetString());
        Assert.Equal("stop", root.GetProperty("stop_reason").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal((1976L, 845L, 1024L), (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(),
            usage.GetProperty("cache_read_tokens").GetInt64()));
        Assert.DoesNotContain(h.Case.Key!, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredApiVersion_IsSent_AndShownByConfigShow()
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Configure("[retry]\nmax_attempts = 1\n\n[llm.azure]\napi_version = \"2025-04-01-preview\"\n");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));
        var show = await h.Cli.RunAsync("config", "show");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("?api-version=2025-04-01-preview", Assert.Single(h.ChatRequests).Query);
        Assert.Contains("[llm.azure]", show.Out, StringComparison.Ordinal);
        Assert.Contains("api_version = \"2025-04-01-preview\"", show.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[llm.azure]\napi_version = \"latest\"\n", "llm.azure.api_version")]
    [InlineData("[llm.openai]\napi_version = \"2024-10-21\"\n", "applies only to [llm.azure]")]
    public async Task BadApiVersion_IsExit2_NamingTheKey(string toml, string expected)
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Configure(toml);

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests);
    }

    [Fact]
    public async Task RateLimited_WithRetryAfterMs_IsRetried_ThenWrites()
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Configure(FastRetries);
        h.Server.Enqueue(
            OpenAIWire.Error(429, "Requests to the ChatCompletions_Create Operation have exceeded call rate limit.", "429", "429")
                .WithHeader("retry-after-ms", "20").WithHeader("x-ratelimit-remaining-requests", "0").WithHeader("x-ratelimit-remaining-tokens", "0"),
            h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Contains("resilience: retry azure", result.Error, StringComparison.Ordinal);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ContentFilter_IsExit5_NamingTheContentFilter_AndWritesNothing(bool stream)
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Server.Enqueue(stream ? OpenAIWire.Stream(["I can"], "content_filter") : OpenAIWire.Json("I can", "content_filter"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("content_filter", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Out));
    }

    [Fact]
    public async Task MissingEndpoint_IsExit2_SayingWhatToSet_BeforeAnyRequest()
    {
        await using var h = await CliHarness.StartAsync("azure", new Dictionary<string, string> { ["AZURE_OPENAI_API_KEY"] = "azure-key-123456" });

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("AZURE_OPENAI_ENDPOINT is not set", result.Error, StringComparison.Ordinal);
        Assert.Contains("[llm.azure] base_url", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }

    /// <summary>Was <c>MissingKey_IsExit3_NamingTheVariable_BeforeAnyRequest</c>: without a key Azure OpenAI now signs in with
    /// Entra ID (issue 16), so a missing key is only an error when that sign-in fails too; still exit 3 before any request,
    /// and the message still names AZURE_OPENAI_API_KEY (and how to sign in instead).</summary>
    [Fact]
    public async Task MissingKey_AndNoEntraIdIdentity_IsExit3_SayingHowToGiveAKeyOrSignIn_BeforeAnyRequest()
    {
        await using var h = await CliHarness.StartAsync("azure", new Dictionary<string, string> { ["AZURE_OPENAI_ENDPOINT"] = "http://127.0.0.1:9/" });
        h.Cli.ProviderFactory = SpecSynthProviders.Create(new SpecSynthProvidersOptions
        {
            AzureCredential = new FakeTokenCredential(TimeProvider.System, TimeSpan.FromHours(1)) { Failure = FakeTokenCredential.Unavailable() },
        });

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("set AZURE_OPENAI_API_KEY", result.Error, StringComparison.Ordinal);
        Assert.Contains("'az login'", result.Error, StringComparison.Ordinal);
        Assert.Contains("AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithoutAKey_TheEntraIdToken_IsSentAsBearer_AndConfigShowNamesEntraId_NeverTheToken(bool stream)
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Cli.Env.Remove("AZURE_OPENAI_API_KEY");
        var credential = new FakeTokenCredential(TimeProvider.System, TimeSpan.FromHours(1));
        h.Cli.ProviderFactory = SpecSynthProviders.Create(new SpecSynthProvidersOptions { AzureCredential = credential });
        h.Server.Router = r => r.Header("authorization") == "Bearer " + FakeTokenCredential.Token(1) && r.Header("api-key") is null
            ? null
            : FakeResponse.Json("""{"error":{"code":"401","message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}}""", 401);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync([.. GenerateOverProvidersTests.Args(h, stream), "--verbose"]);
        var show = await h.Cli.RunAsync("config", "show");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
        Assert.Equal("?api-version=2024-10-21", Assert.Single(h.ChatRequests).Query);
        Assert.Equal(1, credential.Calls);
        Assert.Contains("# api key source: entra-id (DefaultAzureCredential)", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTokenCredential.Token(1), result.Out + result.Error + show.Out + show.Error, StringComparison.Ordinal);
        Assert.Empty(h.FilesContaining(FakeTokenCredential.Token(1)));
    }

    [Fact]
    public async Task WrongKey_IsRefusedWith401_AndIsExit3()
    {
        await using var h = await CliHarness.StartAsync("azure");
        h.Cli.Env["AZURE_OPENAI_API_KEY"] = "azure-WRONG-key-000000";

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("azure-WRONG-key-000000", Assert.Single(h.ChatRequests).Header("api-key"));
        Assert.DoesNotContain("azure-WRONG-key-000000", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADeploymentName_IsExit2_SayingHowToGiveOne()
    {
        await using var h = await CliHarness.StartAsync("azure");

        var result = await h.Cli.RunAsync([.. GenerateOverProvidersTests.Args(h, stream: true), "--provider", "azure"]);

        Assert.True(result.ExitCode == 2, result.Error + result.Out);
        Assert.Contains("deployment name", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }
}
