namespace SpecSynth.Tests.Cli.Providers;

/// <summary>The API key reaches the provider and nothing else: not the output, not the state folder, not the written files.</summary>
public sealed class SecretsOverProvidersTests
{
    [Theory]
    [MemberData(nameof(ProviderCases.WithKey), MemberType = typeof(ProviderCases))]
    public async Task ApiKey_IsSentToTheProvider_ButWrittenNowhere(string provider)
    {
        await using var h = await CliHarness.StartAsync(provider);
        var key = h.Case.Key!;
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true), h.Case.Reply(ModelAnswers.Explanation, stream: false));

        var generate = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);
        var explain = await h.RunAsync("explain", h.CodePath, "--json", "--no-stream");

        Assert.True(generate.ExitCode == 0, generate.Error);
        Assert.True(explain.ExitCode == 0, explain.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.All(h.ChatRequests, r => Assert.Contains(key, r.Header("authorization") + r.Header("x-api-key"), StringComparison.Ordinal));
        Assert.NotEmpty(Directory.EnumerateFiles(h.Home, "*", SearchOption.AllDirectories));
        Assert.Equal(2, h.OutputFiles.Count);
        Assert.Empty(h.FilesContaining(key));
        Assert.DoesNotContain(key, generate.Out + generate.Error + explain.Out + explain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAICompatibleServerOnLoopback_NeedsNoKey_AndGetsNoRealOne()
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        var request = Assert.Single(h.ChatRequests);
        Assert.Equal("/api/v1/chat/completions", request.Path);
        Assert.Equal("qwen2.5-coder-32b-instruct", request.Json.GetProperty("model").GetString());
        Assert.DoesNotContain("sk-", request.Header("authorization") ?? "", StringComparison.Ordinal);
    }
}
