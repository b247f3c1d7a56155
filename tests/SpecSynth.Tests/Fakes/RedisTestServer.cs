using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// The one Redis of the tests, with one policy. <see cref="Shared"/> is the server named by <c>SPECSYNTH_TEST_REDIS</c>
/// (host:port; <c>.ci/run</c> starts a real redis-server and exports it) when that is set, else an in-process Garnet
/// (a Redis-protocol server, Lua scripts on and run atomically) on a free loopback port, started once for the test
/// assembly. Every test runs: none returns early for want of a server. Tests that kill a server or need a password
/// start a private in-process Garnet with <see cref="StartPrivate"/>; it is theirs alone.
/// Tests on the shared server use keys of their own (a fresh GUID in each name) and delete what they wrote with
/// <see cref="DeleteKeysAsync"/>: nothing flushes a database another test or a developer's Redis may be using.
/// </summary>
internal sealed class RedisTestServer : IDisposable
{
    /// <summary>The environment variable naming the shared server (host:port).</summary>
    public const string Variable = "SPECSYNTH_TEST_REDIS";

    private static readonly Lazy<RedisTestServer> SharedServer = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly bool _shared;
    private GarnetServer? _garnet;

    private RedisTestServer(string address, GarnetServer? garnet, bool shared)
    {
        Address = address;
        _garnet = garnet;
        _shared = shared;
    }

    /// <summary><c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The port of <see cref="Address"/>.</summary>
    public int Port => int.Parse(Address[(Address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    /// <summary>True when this is an in-process Garnet, false for the external server of <c>SPECSYNTH_TEST_REDIS</c>.</summary>
    public bool InProcess => _garnet is not null;

    /// <summary>The server every test may share (keys of its own, deleted after).</summary>
    public static RedisTestServer Shared => SharedServer.Value;

    /// <summary>Starts a private in-process Garnet on a free loopback port (optionally requiring <paramref name="password"/>)
    /// that the test may <see cref="Kill"/>.</summary>
    public static RedisTestServer StartPrivate(string? password = null) => StartGarnet(password, shared: false);

    /// <summary>A loopback port nothing listens on (for "unreachable" tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops a private server at once: its listener closes and every client connection drops, as in a crash.</summary>
    public void Kill()
    {
        Assert.False(_shared, "only a private server may be killed");
        Interlocked.Exchange(ref _garnet, null)?.Dispose();
    }

    /// <summary>Deletes the keys matching <paramref name="pattern"/> (which must name the test's own keys, e.g. with its
    /// GUID) in database <paramref name="database"/>, by SCAN and DEL; never FLUSHDB/FLUSHALL.</summary>
    public async Task DeleteKeysAsync(string pattern, int database = 0)
    {
        Assert.NotEqual("*", pattern);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Address);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var db = connection.GetDatabase(database);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(database, pattern))
        {
            keys.Add(key);
        }
        if (keys.Count > 0)
        {
            await db.KeyDeleteAsync([.. keys]);
        }
    }

    /// <summary>Stops a private server; the shared one lives as long as the test assembly.</summary>
    public void Dispose()
    {
        if (!_shared)
        {
            Interlocked.Exchange(ref _garnet, null)?.Dispose();
        }
    }

    private static RedisTestServer StartShared()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { } address && !string.IsNullOrWhiteSpace(address))
        {
            return new RedisTestServer(address.Trim(), null, shared: true);
        }
        var server = StartGarnet(null, shared: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Interlocked.Exchange(ref server._garnet, null)?.Dispose();
        return server;
    }

    private static RedisTestServer StartGarnet(string? password, bool shared)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort(); // free a moment ago: another process may take it first, hence the retries
            var args = new List<string>
            {
                "--bind", "127.0.0.1",
                "--port", port.ToString(CultureInfo.InvariantCulture),
                // Lua scripts (the budget and rate-limit stores use them), run as transactions: atomic, as in Redis.
                "--lua", "--lua-transaction-mode", "true",
                // Small: a test server holds a few hundred keys (the default index alone is 128 MB).
                "--index", "1m", "--memory", "64m", "--page", "1m",
                // The server shares the test process's thread pool with every test running beside it: enough threads
                // from the start that a client with a 1 s timeout (the CLI's) is answered while the tests keep it busy.
                "--minthreads", "32",
            };
            if (password is not null)
            {
                args.AddRange(["--auth", "Password", "--password", password]);
            }
            GarnetServer? garnet = null;
            try
            {
                garnet = new GarnetServer([.. args], NullLoggerFactory.Instance);
                garnet.Start();
                WarmUp(port, password);
                return new RedisTestServer($"127.0.0.1:{port}", garnet, shared);
            }
            catch (Exception ex) when (attempt < 5 && ex is SocketException or Garnet.common.GarnetException)
            {
                garnet?.Dispose();
            }
        }
    }

    /// <summary>Runs what the stores run once (a Lua script with TIME, strings, hashes, expiry), so the first client of a
    /// test, which may have a 1 s timeout, does not wait for the server's own start-up work (JIT, the Lua engine).</summary>
    private static void WarmUp(int port, string? password)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.Password = password;
        options.ConnectTimeout = 30_000;
        options.SyncTimeout = 30_000;
        using var connection = ConnectionMultiplexer.Connect(options);
        var db = connection.GetDatabase();
        const string key = "specsynth:test:warm-up";
        db.ScriptEvaluate("redis.call('SET', KEYS[1], redis.call('TIME')[1], 'PX', 1000) return redis.call('GET', KEYS[1])", [key]);
        db.HashSet(key + ":hash", [new HashEntry("data", "x")]);
        db.KeyExpire(key + ":hash", TimeSpan.FromSeconds(1));
        db.HashGetAll(key + ":hash");
        db.KeyDelete([key, key + ":hash"]);
    }
}
