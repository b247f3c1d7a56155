using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>A configured address that redirects to another host, as the CLI reports it: nothing reaches the other host
/// (which would answer), exit 2 with the redirect and the variable to change, no key anywhere, nothing written.</summary>
public sealed class RedirectsOverProvidersTests
{
    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task BaseUrlThatRedirects_IsExit2_NamingTheVariable_AndTheOtherHostGetsNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        await using var elsewhere = await FakeProviderServer.StartAsync();
        elsewhere.Router = h.Case.Route;
        elsewhere.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));
        h.Server.Router = request => FakeResponse.Json("", 307)
            .WithHeader("location", new Uri(elsewhere.BaseUrl, request.Path.TrimStart('/') + request.Query).AbsoluteUri);

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Empty(elsewhere.Requests);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"answered HTTP 307 with a redirect to {elsewhere.BaseUrl.GetLeftPart(UriPartial.Authority)}/", result.Error,
            StringComparison.Ordinal);
        Assert.Contains("specsynth does not follow redirects", result.Error, StringComparison.Ordinal);
        Assert.Contains(h.Case.Provider == "ollama" ? "OLLAMA_HOST" : h.Case.Provider == "claude" ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL",
            result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("bad_input", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        if (h.Case.Key is { } key)
        {
            Assert.DoesNotContain(key, result.Out + result.Error, StringComparison.Ordinal);
            Assert.Empty(h.FilesContaining(key));
        }
        Assert.Empty(h.OutputFiles);
    }

    [Fact]
    public async Task AzureEndpointThatRedirects_IsExit2_NamingTheVariable_AndTheOtherHostGetsNothing()
    {
        await using var h = await CliHarness.StartAsync("azure");
        await using var elsewhere = await FakeProviderServer.StartAsync();
        elsewhere.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));
        h.Server.Router = request => FakeResponse.Json("", 308)
            .WithHeader("location", new Uri(elsewhere.BaseUrl, request.Path.TrimStart('/') + request.Query).AbsoluteUri);

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Empty(elsewhere.Requests);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("AZURE_OPENAI_ENDPOINT", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Case.Key!, result.Out + result.Error, StringComparison.Ordinal);
        Assert.Empty(h.OutputFiles);
    }
}
