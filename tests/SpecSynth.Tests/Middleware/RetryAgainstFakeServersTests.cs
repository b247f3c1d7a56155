using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

public sealed class RetryAgainstFakeServersTests
{
    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task A429WithRetryAfter_IsRetriedNoEarlierThanTheServerAsked(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Error(provider, 429, "rate limited").WithHeader("retry-after", "7"), ProviderWire.Reply(provider, "done", stream: false));
        var client = h.Build(h.Link(provider, server));

        var response = await h.AskAsync(client);

        Assert.Equal("done", response.Text);
        var retry = Assert.Single(h.Events("retry"));
        Assert.True(retry.Delay >= TimeSpan.FromSeconds(7), $"waited only {retry.Delay}");
        var arrivals = h.Arrivals(server);
        Assert.Equal(2, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(7), $"second request after {arrivals[1] - arrivals[0]}");
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task OverloadedTwice_ThenSuccess_AnswersAfterTwoRetries(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var status = ProviderWire.Overloaded(provider);
        server.Enqueue(ProviderWire.Error(provider, status), ProviderWire.Error(provider, status), ProviderWire.Reply(provider, "third time", stream: false));
        var client = h.Build(h.Link(provider, server));

        var response = await h.AskAsync(client);

        Assert.Equal("third time", response.Text);
        Assert.Equal([1, 2], h.Events("retry").Select(e => e.Attempt!.Value));
        Assert.Equal(3, h.Arrivals(server).Count);
        Assert.Equal(provider, response.AdditionalProperties![ResiliencePipeline.ProviderProperty]);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task ConnectionDroppedBeforeHeaders_IsRetried(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(new FakeResponse { AbortBeforeHeaders = true }, ProviderWire.Reply(provider, "ok", stream: true));
        var client = h.Build(h.Link(provider, server));

        var (response, restarts, _) = await h.StreamAsync(client);

        Assert.Equal("ok", response.Text);
        Assert.Equal(0, restarts);
        Assert.Single(h.Events("retry"));
        Assert.Equal(2, h.Arrivals(server).Count);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task StreamEndingMidway_IsRestartedAsAWhole(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var text = ProviderWire.LongText("cut");
        var full = ProviderWire.Reply(provider, text, stream: true);
        server.Enqueue(full with { Body = full.Body[..(full.Body.Length / 2)] }, full);
        var client = h.Build(h.Link(provider, server));

        var (response, restarts, _) = await h.StreamAsync(client);

        Assert.Equal(text, response.Text);
        Assert.Equal(1, restarts);
        Assert.Single(h.Events("stream_restart"));
        Assert.Single(h.Events("retry"));
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task StreamWhoseConnectionIsResetMidway_IsRetried(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var text = ProviderWire.LongText("reset");
        var full = ProviderWire.Reply(provider, text, stream: true);
        server.Enqueue(full with { AbortAfterBytes = full.Body.Length / 2 }, full);
        var client = h.Build(h.Link(provider, server));

        var (response, _, _) = await h.StreamAsync(client);

        // Whether updates got through before the reset depends on TCP timing; the caller's view ends right either way.
        Assert.Equal(text, response.Text);
        Assert.Single(h.Events("retry"));
        Assert.Equal(2, h.Arrivals(server).Count);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task StalledStream_IsAbandonedAfterTheIdleTime_AndRetried(string provider)
    {
        await using var h = new Harness();
        h.Options = new ResilienceOptions { StreamIdleTimeout = TimeSpan.FromSeconds(60) };
        var server = await h.ServerAsync();
        var text = ProviderWire.LongText("stall");
        var full = ProviderWire.Reply(provider, text, stream: true);
        server.Enqueue(full with { PauseAfterBytes = full.Body.Length / 2, Pause = TimeSpan.FromSeconds(2), ChunkSizes = [64] }, full);
        var client = h.Build(h.Link(provider, server));

        var call = Task.Run(() => Harness.GatherAsync(client));
        await WaitUntilAsync(() => h.Arrivals(server).Count == 1);
        await Task.Delay(300);
        h.Time.Advance(TimeSpan.FromSeconds(61));
        var (response, restarts, _) = await h.DriveAsync(() => call, TimeSpan.FromMilliseconds(50));

        Assert.Equal(text, response.Text);
        Assert.Equal(1, restarts);
        Assert.Contains("stalled", Assert.Single(h.Events("retry")).Reason, StringComparison.Ordinal);
        Assert.Equal(2, h.Arrivals(server).Count);
    }

    [Fact]
    public async Task ClaudeErrorEventMidStream_IsRetried()
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var text = ProviderWire.LongText("sse");
        var good = AnthropicWire.Stream(ProviderWire.Split(text));
        var body = System.Text.Encoding.UTF8.GetString(good.Body);
        var broken = body[..(body.IndexOf("event: content_block_delta", body.Length / 2, StringComparison.Ordinal))]
            + AnthropicWire.ErrorEvent("overloaded_error", "Overloaded");
        server.Enqueue(FakeResponse.Sse(broken), good);
        var client = h.Build(h.Link("claude", server));

        var (response, restarts, _) = await h.StreamAsync(client);

        Assert.Equal(text, response.Text);
        Assert.Equal(1, restarts);
        Assert.Contains("Overloaded", Assert.Single(h.Events("retry")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OllamaErrorLineMidStream_IsRetried()
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var good = OllamaWire.Stream(ProviderWire.Split("all of it"));
        var broken = """{"model":"qwen2.5-coder:7b","created_at":"2026-11-25T08:41:40.01Z","message":{"role":"assistant","content":"all"},"done":false}""" + "\n"
            + """{"error":"an error was encountered while running the model: unexpected EOF"}""" + "\n";
        server.Enqueue(FakeResponse.Ndjson(broken), good);
        var client = h.Build(h.Link("ollama", server));

        var (response, _, _) = await h.StreamAsync(client);

        Assert.Equal("all of it", response.Text);
        Assert.Single(h.Events("retry"));
        Assert.Equal(2, h.Arrivals(server).Count);
    }

    [Fact]
    public async Task OpenAIMalformedChunk_IsRetried()
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        var broken = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\n\n";
        server.Enqueue(FakeResponse.Sse(broken), ProviderWire.Reply("openai", "parsed fine", stream: true));
        var client = h.Build(h.Link("openai", server));

        var (response, _, _) = await h.StreamAsync(client);

        Assert.Equal("parsed fine", response.Text);
        Assert.Single(h.Events("retry"));
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task Unauthorized_IsNotRetried_AndStaysAuth(string provider)
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Error(provider, 401, "invalid x-api-key"));
        var client = h.Build(h.Link(provider, server));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.Equal(ErrorKind.Auth, ex.Kind);
        Assert.Single(h.Arrivals(server));
        Assert.Empty(h.Events("retry"));
    }

    [Fact]
    public async Task ServerAskingForMoreThanFiveMinutes_IsNotWaitedFor()
    {
        await using var h = new Harness();
        var server = await h.ServerAsync();
        server.Enqueue(ProviderWire.Error("openai", 429, "slow down").WithHeader("retry-after", "900"));
        var client = h.Build(h.Link("openai", server));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.Contains("asked to wait 900 s", ex.Message, StringComparison.Ordinal);
        Assert.Single(h.Arrivals(server));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
