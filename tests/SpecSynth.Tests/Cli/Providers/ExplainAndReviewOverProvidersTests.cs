using System.Text.Json;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary><c>specsynth explain</c> and <c>specsynth review</c> end to end against each provider's fake server.</summary>
public sealed class ExplainAndReviewOverProvidersTests
{
    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task Explain_PrintsTheModelsText_OnStdout(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream));

        var result = stream
            ? await h.RunAsync("explain", h.CodePath)
            : await h.RunAsync("explain", h.CodePath, "--no-stream");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(ModelAnswers.Explanation + "\n", result.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
        var request = Assert.Single(h.ChatRequests);
        Assert.Equal(stream, ProviderCase.AskedToStream(request.Json));
        Assert.Contains("ArgumentException.ThrowIfNullOrWhiteSpace(name);", h.Case.UserPrompt(request.Json), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ExplainJson_CarriesTheTextStopReasonAndUsage(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Explanation, stream));

        var result = stream
            ? await h.RunAsync("explain", h.CodePath, "--json")
            : await h.RunAsync("explain", h.CodePath, "--json", "--no-stream");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal(ModelAnswers.Explanation, root.GetProperty("text").GetString());
        Assert.Equal("stop", root.GetProperty("stop_reason").GetString());
        Assert.Equal(h.Case.ExpectedUsage.OutputTokens, root.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(h.Case.ExpectedUsage.InputTokens, root.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(stream, ProviderCase.AskedToStream(Assert.Single(h.ChatRequests).Json));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ReviewJson_ParsesTheFindingsOfTheJsonBlock(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Review, stream));

        var result = stream
            ? await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath, "--json")
            : await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath, "--json", "--no-stream");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("Greets correctly; validation is incomplete.", root.GetProperty("summary").GetString());
        var findings = root.GetProperty("requirements").EnumerateArray()
            .Select(f => (f.GetProperty("requirement").GetString(), f.GetProperty("status").GetString())).ToList();
        Assert.Equal(
            [("FR-001: Greeter.Greet(name) MUST return Hello, <name>!.", "met"), ("FR-002: A blank name MUST throw ArgumentException.", "partly")],
            findings);
        var issues = root.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("severity").GetString()).ToList();
        Assert.Equal(["error", "warning"], issues);
        Assert.Equal(h.Case.ExpectedUsage.OutputTokens, root.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        var user = h.Case.UserPrompt(Assert.Single(h.ChatRequests).Json);
        Assert.Contains("<requirements>", user, StringComparison.Ordinal);
        Assert.Contains("FR-002", user, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Review_WithoutJson_PrintsEachStatus(string provider)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.Review, stream: true));

        var result = await h.RunAsync("review", h.CodePath, "--requirements", h.RequirementsPath);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("[met]     FR-001", result.Out, StringComparison.Ordinal);
        Assert.Contains("[partly]  FR-002", result.Out, StringComparison.Ordinal);
        Assert.Contains("error: src/Greeter.cs:1: The namespace and class share a name.", result.Out, StringComparison.Ordinal);
    }
}
