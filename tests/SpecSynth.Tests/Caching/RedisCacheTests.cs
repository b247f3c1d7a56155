using Microsoft.Extensions.AI;
using SpecSynth.Caching;
using SpecSynth.State;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Caching;

/// <summary>The response cache on real Redis: shared between machines (state folders), and degrading to the local
/// SQLite cache with one warning when Redis is lost.</summary>
public sealed class RedisCacheTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _warnings = [];

    private (ResponseCacheStore Store, IChatClient Client, StreamingFakeClient Provider) Open(string url, string home, CacheMode mode = CacheMode.ReadWrite)
    {
        var store = ResponseCacheStore.Open(new CacheOptions { Url = url }, new SharedStateOptions(), Env(home), _warnings.Add, TimeProvider.System, SpecSynthRedis.Backend);
        var provider = new StreamingFakeClient();
        return (store, store.Wrap(provider, mode, TimeSpan.FromHours(1), ["claude|m|||"]), provider);
    }

    private Func<string, string?> Env(string home) => name => name == "SPECSYNTH_HOME" ? _dir.Combine(home) : null;

    private static ChatMessage[] Unique() => [new(ChatRole.User, "spec " + Guid.NewGuid().ToString("N"))];

    private static async Task<bool> AskAsync(IChatClient client, ChatMessage[] messages, bool stream = false)
    {
        if (!stream)
        {
            return ResponseCache.IsHit(await client.GetResponseAsync(messages));
        }
        var hit = false;
        await foreach (var update in client.GetStreamingResponseAsync(messages))
        {
            hit |= ResponseCache.IsHit(update);
        }
        return hit;
    }

    [Fact]
    public async Task Two_machines_share_replies_through_redis()
    {
        var address = RedisTestServer.Shared.Address;
        var url = "redis://" + address + "/1";
        var (storeA, clientA, providerA) = Open(url, "machine-a");
        var (storeB, clientB, providerB) = Open(url, "machine-b");
        using (clientA)
        using (clientB)
        {
            var messages = Unique();
            Assert.False(await AskAsync(clientA, messages, stream: true));
            Assert.True(await AskAsync(clientB, messages, stream: true));
            Assert.True(await AskAsync(clientB, messages));
            Assert.Equal(1, providerA.Calls);
            Assert.Equal(0, providerB.Calls);
            var stats = await storeB.StatsAsync();
            Assert.Equal("redis", stats.Backend);
            Assert.True(stats.Entries >= 1);
            Assert.Empty(_warnings);
            // Machine B's own SQLite file holds nothing: the entry lives in Redis only.
            Assert.Equal((0L, 0L), await storeB.Local.CountAsync());
        }
    }

    [Fact]
    public async Task Redis_killed_mid_run_degrades_to_the_local_cache_with_one_warning()
    {
        using var redis = RedisTestServer.StartPrivate(password: "s3cret-pw");
        var (store, client, provider) = Open($"redis://:s3cret-pw@127.0.0.1:{redis.Port}/0", "home");
        using (client)
        {
            var before = Unique();
            Assert.False(await AskAsync(client, before));
            Assert.True(await AskAsync(client, before));
            Assert.Equal(1, (await store.StatsAsync()).Entries);

            redis.Kill();

            var after = Unique();
            Assert.False(await AskAsync(client, after, stream: true));
            Assert.True(await AskAsync(client, after, stream: true));
            Assert.True(await AskAsync(client, after));
            Assert.False(await AskAsync(client, Unique()));
            Assert.Equal(3, provider.Calls);
            var warning = Assert.Single(_warnings);
            Assert.Contains("not reachable", warning, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{redis.Port}", warning, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-pw", warning, StringComparison.Ordinal);
            Assert.Equal(2, (await store.Local.CountAsync()).Entries);
            var ex = await Assert.ThrowsAsync<SpecSynthException>(() => store.StatsAsync());
            Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
            Assert.DoesNotContain("s3cret-pw", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Redis_unreachable_at_start_uses_the_local_cache_with_one_warning()
    {
        var (_, client, provider) = Open($"redis://127.0.0.1:{RedisTestServer.FreePort()}", "home");
        using (client)
        {
            var messages = Unique();
            Assert.False(await AskAsync(client, messages));
            Assert.True(await AskAsync(client, messages));
            Assert.Equal(1, provider.Calls);
            Assert.Contains("not reachable", Assert.Single(_warnings), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Two_cli_runs_on_different_machines_share_the_cache_through_shared_redis()
    {
        var address = RedisTestServer.Shared.Address;
        var marker = Guid.NewGuid().ToString("N");
        await using var a = await Cli.Providers.CliHarness.StartAsync("claude");
        await using var b = await Cli.Providers.CliHarness.StartAsync("claude");
        foreach (var h in new[] { a, b })
        {
            h.Configure($"[retry]\nmax_attempts = 1\ncontinuation_rounds = 0\n[shared]\nredis = \"redis://{address}/2\"\n");
            File.AppendAllText(h.SpecPath, $"\n- The build id is {marker}.\n");
        }
        a.Server.Enqueue(a.Case.Reply(Cli.Providers.ModelAnswers.TwoFiles, true));

        var first = await a.RunAsync("generate", a.SpecPath, "--out", Path.Combine(a.Root, "generated"), "--json");
        var second = await b.RunAsync("generate", b.SpecPath, "--out", Path.Combine(b.Root, "generated"), "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Single(a.ChatRequests);
        Assert.Empty(b.ChatRequests);
        Assert.Contains("\"cache_hit\": true", second.Out, StringComparison.Ordinal);
        var stats = await b.Cli.RunAsync("cache", "stats", "--json");
        Assert.Contains("\"backend\": \"redis\"", stats.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
