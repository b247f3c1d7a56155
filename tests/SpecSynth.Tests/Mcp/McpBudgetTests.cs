using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary><c>max_cost</c> applies per MCP call: a generate whose worst case does not fit is a tool error of kind
/// <c>budget_exceeded</c> (exit code 6), nothing is sent to the provider, and the server goes on serving.</summary>
public sealed class McpBudgetTests
{
    [Fact]
    public async Task AGenerateOverItsMaxCost_IsABudgetToolError_NothingIsSent_AndTheServerKeepsServing()
    {
        await using var provider = await FakeProviderServer.StartAsync();
        using var world = new ServiceWorld(new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = new Uri(provider.BaseUrl, "v1").ToString(),
            ["OPENAI_API_KEY"] = "sk-test-not-a-real-key",
        });
        await using var session = await McpTestSession.StartAsync(world);

        var call = await session.CallAsync("generate",
            new { spec = "spec.md", @out = "out", dry_run = false, provider = "openai", model = "gpt-4.1", max_cost = 0.000001 });

        Assert.True(call.IsError, "a call over its max_cost must be a tool error");
        var error = call.StructuredContent!.Value.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("kind").GetString());
        Assert.Equal(6, error.GetProperty("exit_code").GetInt32());
        Assert.Empty(provider.Requests);
        Assert.False(Directory.Exists(world.Out) && Directory.EnumerateFileSystemEntries(world.Out).Any());
        var usage = await session.CallAsync("usage");
        Assert.NotEqual(true, usage.IsError);
    }
}
