using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>
/// The behaviour every provider client must show, run over real HTTP against <see cref="FakeProviderServer"/>.
/// One subclass per provider supplies the wire format.
/// </summary>
public abstract class ProviderConformanceTests : IAsyncLifetime
{
    internal const string SecretKey = "sk-test-SECRET-0123456789";
    private static readonly string[] MultiByteDeltas = ["Grüße, ", "naïve café ", "€uro ", "😀 done", "\n```cs\nvar x = 1;\n```"];

    internal FakeProviderServer Server { get; private set; } = null!;

    internal abstract string Provider { get; }

    internal abstract string ChatPath { get; }

    internal abstract FakeResponse StreamText(IReadOnlyList<string> deltas, string finish, long input, long output);

    internal abstract FakeResponse JsonText(string text, string finish, long input, long output);

    internal abstract FakeResponse Error(int status, string message, string code);

    /// <summary>The provider's wire value for our stop reason (<c>stop</c>/<c>length</c>).</summary>
    internal abstract string WireFinish(string ours);

    internal abstract void AssertSystemAndLimits(JsonElement body, string system, int maxTokens, float? temperature);

    internal abstract string KeyVariable { get; }

    internal virtual Uri BaseUrl => Server.BaseUrl;

    internal virtual ProviderSettings Settings() => new()
    {
        Provider = Provider,
        Model = "test-model",
        ApiKey = SecretKey,
        BaseUrl = BaseUrl,
        KeyVariable = KeyVariable,
        MaxOutputTokens = 1234,
    };

    public async Task InitializeAsync() => Server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    internal IChatClient Client(ProviderSettings? settings = null) => ProviderClientFactory.Create(settings ?? Settings());

    internal static List<ChatMessage> Prompt(string system = "You write C#.") =>
        [new(ChatRole.System, system), new(ChatRole.User, "Write gcd.")];

    internal static async Task<(string Text, ChatResponse Response)> StreamAsync(IChatClient client, ChatOptions? options = null)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt(), options))
        {
            updates.Add(update);
        }
        return (string.Concat(updates.Select(u => u.Text)), updates.ToChatResponse());
    }

    [Fact]
    public async Task NonStreamedText_ComesBackWithUsageAndStopReason()
    {
        Server.Enqueue(JsonText("fn gcd() {}\n", WireFinish("stop"), 31, 57));
        using var client = Client();

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("fn gcd() {}\n", response.Text);
        Assert.Equal("stop", StopReasons.From(response.FinishReason));
        Assert.Equal(new TokenUsage(31, 57), UsageMapper.FromResponse(response));
        Assert.Equal(ChatPath, Assert.Single(Server.Requests).Path);
    }

    [Fact]
    public async Task StreamedText_IsTheExactConcatenation_EvenWhenChunksSplitUtf8Characters()
    {
        Server.Enqueue(StreamText(MultiByteDeltas, WireFinish("stop"), 31, 57));
        using var client = Client();

        var (text, response) = await StreamAsync(client);

        Assert.Equal(string.Concat(MultiByteDeltas), text);
        Assert.Equal(string.Concat(MultiByteDeltas), response.Text);
        Assert.Equal("stop", StopReasons.From(response.FinishReason));
        Assert.Equal(new TokenUsage(31, 57), UsageMapper.FromResponse(response));
    }

    [Fact]
    public async Task LengthStop_IsReportedAsLength_StreamedAndNot()
    {
        Server.Enqueue(StreamText(["partial"], WireFinish("length"), 10, 1234), JsonText("partial", WireFinish("length"), 10, 1234));
        using var client = Client();

        var (_, streamed) = await StreamAsync(client);
        var whole = await client.GetResponseAsync(Prompt());

        Assert.Equal("length", StopReasons.From(streamed.FinishReason));
        Assert.Equal("length", StopReasons.From(whole.FinishReason));
        Assert.Equal(1234, UsageMapper.FromResponse(whole).OutputTokens);
    }

    [Fact]
    public async Task SystemPromptMaxTokensAndTemperature_AreOnTheWire()
    {
        Server.Enqueue(StreamText(["ok"], WireFinish("stop"), 1, 1));
        using var client = Client(Settings() with { Temperature = 0.25f, MaxOutputTokens = 777 });

        await StreamAsync(client);

        AssertSystemAndLimits(Assert.Single(Server.Requests).Json, "You write C#.", 777, 0.25f);
    }

    [Fact]
    public async Task ModelId_NamingTheClientsModel_SendsTheSameBodyAsNone_AndAnotherModelIsSent()
    {
        Server.Enqueue(StreamText(["ok"], WireFinish("stop"), 1, 1));
        Server.Enqueue(StreamText(["ok"], WireFinish("stop"), 1, 1));
        Server.Enqueue(StreamText(["ok"], WireFinish("stop"), 1, 1));
        using var client = Client();
        var asked = new ChatOptions { ModelId = "test-model" };

        await StreamAsync(client);
        await StreamAsync(client, asked);
        await StreamAsync(client, new ChatOptions { ModelId = "other-model" });

        var requests = Server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal("test-model", asked.ModelId); // the caller's options are not changed
        Assert.Equal("test-model", requests[0].Json.GetProperty("model").GetString());
        Assert.Equal("other-model", requests[2].Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Temperature_IsAbsent_WhenNotConfigured()
    {
        Server.Enqueue(JsonText("ok", WireFinish("stop"), 1, 1));
        using var client = Client();

        await client.GetResponseAsync(Prompt());

        AssertSystemAndLimits(Assert.Single(Server.Requests).Json, "You write C#.", 1234, null);
    }

    [Fact]
    public async Task Unauthorized_IsAnAuthError_NamingTheVariable_NotTheKey_WithoutRetries()
    {
        Server.Enqueue(Error(401, "invalid x-api-key", "authentication_error"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Contains(KeyVariable, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, ex.Message, StringComparison.Ordinal);
        Assert.Single(Server.Requests);
    }

    [Theory]
    [InlineData("retry-after", "7", 7000)]
    [InlineData("retry-after-ms", "1500", 1500)]
    public async Task RateLimited_IsRetryable_WithTheServersDelay_AndNoHiddenRetry(string header, string value, int expectedMs)
    {
        Server.Enqueue(Error(429, "Number of request tokens has exceeded your per-minute rate limit", "rate_limit_error").WithHeader(header, value));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ex.RetryAfter);
        Assert.Single(Server.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(529)]
    public async Task ServerErrors_AreRetryableUnavailable_WithoutHiddenRetries(int status)
    {
        Server.Enqueue(Error(status, "Overloaded", "overloaded_error"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(Provider, ex.Provider);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task BadRequest_IsInvalidInput_WithTheProvidersMessage()
    {
        Server.Enqueue(Error(400, "max_tokens: 999999 > 64000, which is the maximum allowed", "invalid_request_error"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(400, ex.StatusCode);
        Assert.False(ex.IsRetryable);
        Assert.Contains("max_tokens: 999999 > 64000", ex.Message, StringComparison.Ordinal);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetryableUnavailable()
    {
        using var client = Client(Settings() with { BaseUrl = new Uri(BaseUrl.AbsoluteUri.Replace($":{BaseUrl.Port}", $":{ClosedPort()}", StringComparison.Ordinal)) });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task StreamCutMidway_IsRetryableUnavailable()
    {
        var full = StreamText(["a long ", "answer ", "that never ends"], WireFinish("stop"), 1, 1);
        Server.Enqueue(full with { AbortAfterBytes = full.Body.Length / 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public async Task AnHtmlPageInsteadOfJson_IsUnavailable_NotACrash()
    {
        Server.Enqueue(FakeResponse.Text(200, "text/html", "<html><body>Captive portal</body></html>"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
    }

    [Fact]
    public async Task BadGatewayHtml_IsRetryable_WithTheTextInTheMessage()
    {
        Server.Enqueue(FakeResponse.Text(502, "text/html", "<html>502 Bad Gateway</html>"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(client));

        Assert.True(ex.IsRetryable);
        Assert.Equal(502, ex.StatusCode);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
