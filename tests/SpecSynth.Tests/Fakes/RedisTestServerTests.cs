using StackExchange.Redis;

namespace SpecSynth.Tests.Fakes;

/// <summary>The Redis test harness itself: there is always a server (no test can pass by doing nothing), it runs the
/// Lua our stores use atomically, private servers honour their password and can be killed, and clean-up deletes only
/// what it names.</summary>
public sealed class RedisTestServerTests
{
    [Fact]
    public async Task TheSharedServer_IsTheOneNamedBySPECSYNTH_TEST_REDIS_ElseAnInProcessGarnet_AndAnswers()
    {
        var configured = Environment.GetEnvironmentVariable(RedisTestServer.Variable);
        var shared = RedisTestServer.Shared;

        if (string.IsNullOrWhiteSpace(configured))
        {
            Assert.True(shared.InProcess);
            Assert.StartsWith("127.0.0.1:", shared.Address, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(shared.InProcess);
            Assert.Equal(configured.Trim(), shared.Address);
        }
        await using var connection = await ConnectionMultiplexer.ConnectAsync(shared.Address);
        Assert.True(await connection.GetDatabase().PingAsync() < TimeSpan.FromSeconds(5));
        Assert.Same(shared, RedisTestServer.Shared);
    }

    [Fact]
    public async Task TheSharedServer_RunsLuaScriptsAtomically_WithTheServersClock()
    {
        var key = "specsynth:test:" + Guid.NewGuid().ToString("N");
        const string script = """
            local t = redis.call('TIME')
            local v = tonumber(redis.call('GET', KEYS[1]) or '0') + 1
            redis.call('SET', KEYS[1], v, 'PX', 60000)
            return {v, tonumber(t[1])}
            """;
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address)));
        try
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
                (RedisResult[])(await connections[i % connections.Length].GetDatabase().ScriptEvaluateAsync(script, [key]))!)));

            // Read, add one and write in one step: 200 scripts from 4 clients see 200 different values, none lost.
            Assert.Equal(Enumerable.Range(1, 200), results.Select(r => (int)r[0]).Order());
            Assert.Equal(200, (int)await connections[0].GetDatabase().StringGetAsync(key));
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Assert.All(results, r => Assert.InRange((long)r[1], now - 60, now + 60));
        }
        finally
        {
            await connections[0].GetDatabase().KeyDeleteAsync(key);
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task APrivateServer_IsNotTheShared_RequiresItsPassword_AndKillDropsItsClients()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        using var server = RedisTestServer.StartPrivate(password);
        Assert.NotEqual(RedisTestServer.Shared.Address, server.Address);

        var anonymous = ConfigurationOptions.Parse(server.Address);
        anonymous.AbortOnConnectFail = false;
        await using (var noPassword = await ConnectionMultiplexer.ConnectAsync(anonymous))
        {
            await Assert.ThrowsAnyAsync<RedisException>(() => noPassword.GetDatabase().StringSetAsync("k", "v"));
        }
        var options = ConfigurationOptions.Parse($"{server.Address},password={password}");
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 0;
        options.ReconnectRetryPolicy = new LinearRetry(60_000);
        await using var client = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.True(await client.GetDatabase().StringSetAsync("k", "v"));

        server.Kill();

        await Assert.ThrowsAnyAsync<RedisException>(() => client.GetDatabase().StringGetAsync("k"));
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(System.Net.IPAddress.Loopback, server.Port));
    }

    [Fact]
    public async Task TheSharedServerCannotBeKilled_NorDisposed()
    {
        Assert.ThrowsAny<Exception>(RedisTestServer.Shared.Kill);
        RedisTestServer.Shared.Dispose();

        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        Assert.True(await connection.GetDatabase().PingAsync() < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DeleteKeys_DeletesTheMatchingKeysOnly_AndRefusesToDeleteEverything()
    {
        var id = Guid.NewGuid().ToString("N");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        var db = connection.GetDatabase(3);
        await db.StringSetAsync($"specsynth:test:{id}:a", "1", TimeSpan.FromMinutes(1));
        await db.StringSetAsync($"specsynth:test:{id}:b", "2", TimeSpan.FromMinutes(1));
        await db.StringSetAsync($"specsynth:test:other-{id}", "3", TimeSpan.FromMinutes(1));

        await RedisTestServer.Shared.DeleteKeysAsync($"specsynth:test:{id}:*", database: 3);

        Assert.False(await db.KeyExistsAsync($"specsynth:test:{id}:a"));
        Assert.False(await db.KeyExistsAsync($"specsynth:test:{id}:b"));
        Assert.True(await db.KeyExistsAsync($"specsynth:test:other-{id}"));
        await Assert.ThrowsAnyAsync<Exception>(() => RedisTestServer.Shared.DeleteKeysAsync("*", database: 3));
        Assert.True(await db.KeyExistsAsync($"specsynth:test:other-{id}"));
        await db.KeyDeleteAsync($"specsynth:test:other-{id}");
    }
}
