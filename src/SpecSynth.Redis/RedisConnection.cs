using System.Globalization;
using StackExchange.Redis;

namespace SpecSynth.State;

/// <summary>
/// One lazily opened connection to the team's Redis (<c>[cache] url</c> / <c>[shared] redis</c>), shared by the response
/// cache, rate limits and budgets of a run. Short timeouts (<see cref="Timeout"/>) and fail-fast commands, so a Redis that
/// is down costs about a second once, never a hang: callers catch <see cref="RedisException"/> (and
/// <see cref="TimeoutException"/>) and fall back to local state. The password is never part of <see cref="Display"/>.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    /// <summary>The connect, sync and async timeout.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;

    /// <summary>Prepares a connection to <paramref name="url"/> (nothing is opened yet).</summary>
    /// <exception cref="SpecSynthException">The URL is not a valid redis URL (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public RedisConnection(string url)
    {
        Options = Parse(url);
        Display = Describe(Options);
    }

    /// <summary>The parsed options (they hold the password: never print them).</summary>
    public ConfigurationOptions Options { get; }

    /// <summary>"host:port/db" for messages; never the password.</summary>
    public string Display { get; }

    /// <summary>The options of <paramref name="url"/> (<see cref="RedisUrl.Parse"/>) with specsynth's timeouts.</summary>
    /// <exception cref="SpecSynthException">Not a redis URL (<see cref="ErrorKind.InvalidInput"/>); the message never shows the password.</exception>
    public static ConfigurationOptions Parse(string url)
    {
        var parsed = RedisUrl.Parse(url);
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = (int)Timeout.TotalMilliseconds,
            SyncTimeout = (int)Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Timeout.TotalMilliseconds,
            ConnectRetry = 1,
            Ssl = parsed.Ssl,
            ClientName = "specsynth",
            User = parsed.User,
            Password = parsed.Password,
            DefaultDatabase = parsed.Database,
        };
        options.EndPoints.Add(parsed.Host, parsed.Port);
        return options;
    }

    /// <summary><paramref name="url"/> with any password replaced by <c>***</c>, for messages.</summary>
    public static string Redact(string url) => RedisUrl.Redact(url);

    /// <summary>
    /// The multiplexer, connected on first use (later calls share it). It reconnects by itself after Redis comes
    /// back; while Redis is down, commands fail at once with <see cref="RedisConnectionException"/>.
    /// </summary>
    public Task<IConnectionMultiplexer> GetAsync()
    {
        lock (_gate)
        {
            return _connecting ??= ConnectAsync();
        }
    }

    /// <summary>The database, or <c>null</c> when Redis cannot be reached now.</summary>
    public async Task<IDatabase?> TryGetDatabaseAsync()
    {
        try
        {
            var multiplexer = await GetAsync().ConfigureAwait(false);
            return multiplexer.IsConnected ? multiplexer.GetDatabase() : null;
        }
        catch (RedisException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            connecting = _connecting;
            _connecting = Task.FromException<IConnectionMultiplexer>(new ObjectDisposedException(nameof(RedisConnection)));
        }
        if (connecting is { IsCompletedSuccessfully: true })
        {
            await connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(Options.Clone()).ConfigureAwait(false);

    /// <summary>"host:port/db" of <paramref name="options"/>; never the password.</summary>
    internal static string Describe(ConfigurationOptions options)
    {
        var endpoint = options.EndPoints[0] switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            var other => other.ToString(),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{endpoint}/{options.DefaultDatabase ?? 0}");
    }
}
