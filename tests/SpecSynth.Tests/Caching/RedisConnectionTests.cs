using SpecSynth.State;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Caching;

public sealed class RedisConnectionTests
{
    [Fact]
    public void Parses_host_port_password_user_and_database()
    {
        var options = RedisConnection.Parse("redis://alice:p%40ss@cache.example:6380/3");
        Assert.Equal("p@ss", options.Password);
        Assert.Equal("alice", options.User);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.False(options.Ssl);
        var endpoint = Assert.IsType<System.Net.DnsEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal(("cache.example", 6380), (endpoint.Host, endpoint.Port));
        Assert.Equal(1000, options.ConnectTimeout);
        Assert.Equal(1000, options.SyncTimeout);
        Assert.Equal(1000, options.AsyncTimeout);
        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void Defaults_port_and_database_and_accepts_host_port_and_tls()
    {
        var plain = RedisConnection.Parse("redis://localhost");
        Assert.Equal(6379, Assert.IsType<System.Net.DnsEndPoint>(plain.EndPoints[0]).Port);
        Assert.Null(plain.Password);
        Assert.Null(plain.DefaultDatabase);
        var bare = RedisConnection.Parse("127.0.0.1:6390");
        Assert.Equal(6390, Assert.IsType<System.Net.IPEndPoint>(bare.EndPoints[0]).Port);
        Assert.True(RedisConnection.Parse("rediss://:secret@host").Ssl);
        Assert.Equal("secret", RedisConnection.Parse("rediss://:secret@host").Password);
    }

    [Theory]
    [InlineData("http://:s3cret@host:6379")]
    [InlineData("redis://:s3cret@host:6379/99")]
    [InlineData("redis://:s3cret@host:6379/x")]
    public void Bad_urls_are_clear_errors_that_never_show_the_password(string url)
    {
        var ex = Assert.Throws<SpecSynthException>(() => RedisConnection.Parse(url));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("***@host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Display_and_redact_never_show_the_password()
    {
        var connection = new RedisConnection("redis://:s3cret@host:6379/2");
        Assert.Equal("host:6379/2", connection.Display);
        Assert.Equal("redis://***@host:6379/2", RedisConnection.Redact("redis://:s3cret@host:6379/2"));
        Assert.Equal("redis://host:6379", RedisConnection.Redact("redis://host:6379"));
    }

    [Fact]
    public async Task An_unreachable_server_gives_no_database_instead_of_an_error()
    {
        await using var connection = new RedisConnection($"redis://127.0.0.1:{RedisTestServer.FreePort()}");
        Assert.Null(await connection.TryGetDatabaseAsync());
    }

    [Fact]
    public async Task Connects_to_the_test_server()
    {
        var address = RedisTestServer.Shared.Address;
        await using var connection = new RedisConnection(address);
        var db = await connection.TryGetDatabaseAsync();
        Assert.NotNull(db);
        var key = "specsynth:test:" + Guid.NewGuid().ToString("N");
        Assert.True(await db.StringSetAsync(key, "v", TimeSpan.FromMinutes(1)));
        Assert.Equal("v", (string?)await db.StringGetAsync(key));
        await db.KeyDeleteAsync(key);
    }
}
