using System.Text.Json;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Refusals a provider gives for its own reasons (quota, credit) and output caps, as the CLI reports them.</summary>
public sealed class ProviderRefusalsTests
{
    [Fact]
    public async Task AnthropicsCreditBalanceTooLow_IsExit4LikeAnExhaustedQuota_NotBadInput()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Error(400, SpecSynth.Tests.Middleware.QuotaAndBreakerTests.CreditBalanceTooLow, "invalid_request_error"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("credit balance is too low", result.Error, StringComparison.Ordinal);
        Assert.Single(h.ChatRequests);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("provider_unavailable", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Empty(h.OutputFiles);
    }

    [Fact]
    public async Task UnknownClaudeModel_IsPlannedWithTheSmallerCap_AndItsOwnMaximumIsLearnedOnce()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(
            h.Case.Error(400, "max_tokens: 8192 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku-20240307",
                "invalid_request_error"),
            h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync([.. GenerateOverProvidersTests.Args(h, stream: true), "--model", "claude-3-haiku-20240307"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal([8192, 4096], h.ChatRequests.Select(r => r.Json.GetProperty("max_tokens").GetInt32()));
        Assert.Single(result.Error.Split('\n'), line => line.Contains("accepts at most 4096 output tokens", StringComparison.Ordinal));
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
    }
}
