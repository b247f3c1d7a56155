using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary>A client cancelling a long <c>generate</c> (MCP <c>notifications/cancelled</c>) stops it like Ctrl+C: nothing is written,
/// and the server goes on serving.</summary>
public sealed class McpCancellationTests
{
    [Fact]
    public async Task CancellingAGenerateThatWaitsForTheProvider_WritesNothing_AndTheServerKeepsServing()
    {
        await using var provider = await FakeProviderServer.StartAsync();
        provider.Fallback = FakeResponse.Hang();
        using var world = new ServiceWorld(new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = new Uri(provider.BaseUrl, "v1").ToString(),
            ["OPENAI_API_KEY"] = "sk-test-not-a-real-key",
        });
        await using var session = await McpTestSession.StartAsync(world);
        using var cancel = new CancellationTokenSource();

        var call = session.CallAsync("generate", new { spec = "spec.md", @out = "out", dry_run = false, provider = "openai", model = "gpt-4.1-mini" },
            cancellationToken: cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (provider.Requests.Count == 0 && !call.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        if (call.IsCompleted)
        {
            Assert.Fail("the call ended before the provider was asked: " + (await call).Content[0]);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // The server's run was cancelled too (not left waiting for the provider): the ledger records the call as cancelled.
        long cancelled = 0;
        for (var wait = DateTime.UtcNow.AddSeconds(30); cancelled == 0 && DateTime.UtcNow < wait; await Task.Delay(50))
        {
            var usage = await session.CallAsync("usage");
            Assert.NotEqual(true, usage.IsError);
            cancelled = usage.StructuredContent!.Value.GetProperty("total").GetProperty("cancelled").GetInt64();
        }
        Assert.Equal(1, cancelled);
        Assert.False(Directory.Exists(world.Out) && Directory.EnumerateFileSystemEntries(world.Out).Any());
        Assert.False(Directory.Exists(Path.Combine(world.Home, "journal")) && Directory.EnumerateFileSystemEntries(Path.Combine(world.Home, "journal")).Any());
    }
}
