using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// Azure OpenAI without a key, over real HTTP against the fake Azure server: an Entra ID bearer token from the host's
/// credential instead of <c>api-key</c>, kept until 5 minutes before it expires (on a fake clock), renewed once on a 401,
/// and a credential that cannot sign in as an auth error saying what to do, before any request.
/// </summary>
public sealed class AzureEntraIdTests : IAsyncLifetime
{
    private const string Unauthorized =
        """{"error":{"code":"401","message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired."}}""";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero));
    private readonly HashSet<string> refused = [];
    private FakeProviderServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FakeProviderServer.StartAsync();
        server.Router = r => r.Header("authorization") is { } auth && refused.Contains(auth["Bearer ".Length..])
            ? FakeResponse.Json(Unauthorized, 401)
            : null;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithoutAKey_SendsTheCredentialsToken_AsBearer_ForTheCognitiveServicesScope_AndNoApiKey(bool stream)
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1));
        server.Enqueue(stream ? OpenAIWire.Stream(["ok"], "stop") : OpenAIWire.Json("ok"));
        using var client = Client(credential);

        var text = stream ? (await ProviderConformanceTests.StreamAsync(client)).Text : (await client.GetResponseAsync(Prompt())).Text;

        Assert.Equal("ok", text);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/gpt-deployment/chat/completions", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal("Bearer " + FakeTokenCredential.Token(1), request.Header("authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task TheToken_IsKept_UntilFiveMinutesBeforeItExpires_ThenANewOneIsAskedFor()
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1));
        using var client = Client(credential);

        await AskAsync(client);
        time.Advance(TimeSpan.FromMinutes(54));
        await AskAsync(client);
        time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: renewed before it expires
        await AskAsync(client);
        await AskAsync(client);

        Assert.Equal(2, credential.Calls);
        Assert.Equal([1, 1, 2, 2], server.Requests.Select(r => TokenNumber(r.Header("authorization"))));
    }

    [Fact]
    public async Task ARefreshThatFails_WhileTheKeptTokenIsStillValid_KeepsUsingIt_AndTriesAgainNextTime()
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1));
        using var client = Client(credential);

        await AskAsync(client);
        time.Advance(TimeSpan.FromMinutes(57));
        credential.Failure = new AuthenticationFailedException("the token endpoint answered 503");
        await AskAsync(client);
        credential.Failure = null;
        await AskAsync(client);

        Assert.Equal(3, credential.Calls);
        Assert.Equal([1, 1, 2], server.Requests.Select(r => TokenNumber(r.Header("authorization"))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A401_RenewsTheTokenOnce_AndSendsTheRequestAgain(bool stream)
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1));
        refused.Add(FakeTokenCredential.Token(1)); // e.g. revoked: the service refuses it before it expires
        server.Enqueue(stream ? OpenAIWire.Stream(["ok"], "stop") : OpenAIWire.Json("ok"));
        using var client = Client(credential);

        var text = stream ? (await ProviderConformanceTests.StreamAsync(client)).Text : (await client.GetResponseAsync(Prompt())).Text;

        Assert.Equal("ok", text);
        Assert.Equal([1, 2], server.Requests.Select(r => TokenNumber(r.Header("authorization"))));
        Assert.Equal(2, credential.Calls);
    }

    [Fact]
    public async Task A401_WhenTheCredentialGivesTheSameTokenAgain_IsAnAuthError_NamingEntraId_WithoutTheToken()
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1)) { SameToken = true };
        refused.Add(FakeTokenCredential.Token(1));
        using var client = Client(credential);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("rejected the Entra ID token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cognitive Services OpenAI User", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTokenCredential.Token(1), ex.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACredentialThatCannotSignIn_IsAnAuthError_SayingHowToGiveAKeyOrSignIn_BeforeAnyRequest(bool unavailable)
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1))
        {
            Failure = unavailable ? FakeTokenCredential.Unavailable() : new AuthenticationFailedException("AADSTS7000215: Invalid client secret provided."),
        };
        using var client = Client(credential);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.False(ex.IsRetryable);
        Assert.Contains("no key is set and Entra ID sign-in with FakeTokenCredential", ex.Message, StringComparison.Ordinal);
        Assert.Contains(unavailable ? "found no identity to sign in with" : "could not sign in", ex.Message, StringComparison.Ordinal);
        foreach (var hint in new[] { "AZURE_OPENAI_API_KEY", "az login", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET" })
        {
            Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task AKey_WinsOverTheCredential()
    {
        var credential = new FakeTokenCredential(time, TimeSpan.FromHours(1));
        server.Enqueue(OpenAIWire.Json("ok"));
        using var client = Client(credential, Settings() with { ApiKey = "azure-key-0123456789" });

        await client.GetResponseAsync(Prompt());

        Assert.Equal("azure-key-0123456789", Assert.Single(server.Requests).Header("api-key"));
        Assert.Null(server.Requests[0].Header("authorization"));
        Assert.Equal(0, credential.Calls);
    }

    private ProviderSettings Settings() => new()
    {
        Provider = ProviderIds.Azure,
        Model = "gpt-deployment",
        BaseUrl = server.BaseUrl,
        MaxOutputTokens = 100,
    };

    private IChatClient Client(FakeTokenCredential credential, ProviderSettings? settings = null) =>
        ProviderClientFactory.Create(settings ?? Settings(), null, time, null,
            new AzureEntraId(new SpecSynthProvidersOptions { AzureCredential = credential }));

    private async Task AskAsync(IChatClient client)
    {
        server.Enqueue(OpenAIWire.Json("ok"));
        Assert.Equal("ok", (await client.GetResponseAsync(Prompt())).Text);
    }

    private static List<ChatMessage> Prompt() => ProviderConformanceTests.Prompt();

    private static int TokenNumber(string? authorization)
    {
        for (var n = 1; n < 10; n++)
        {
            if (authorization == "Bearer " + FakeTokenCredential.Token(n))
            {
                return n;
            }
        }
        return 0;
    }
}
