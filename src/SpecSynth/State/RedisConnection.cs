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

    /// <summary>
    /// Parses <c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://…</c> (TLS) or a bare <c>host:port</c> into
    /// options with specsynth's timeouts (port 6379 and db 0 by default; the password may be percent-encoded).
    /// </summary>
    /// <exception cref="SpecSynthException">Not a redis URL (<see cref="ErrorKind.InvalidInput"/>); the message never shows the password.</exception>
    public static ConfigurationOptions Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "redis://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss") || uri.Host.Length == 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"'{Redact(url)}' is not a Redis URL; use redis://[:password@]host[:port][/db] (rediss:// for TLS).");
        }
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = (int)Timeout.TotalMilliseconds,
            SyncTimeout = (int)Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Timeout.TotalMilliseconds,
            ConnectRetry = 1,
            Ssl = uri.Scheme == "rediss",
            ClientName = "specsynth",
        };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            var password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            options.User = user.Length > 0 ? user : null;
            options.Password = password.Length > 0 ? password : null;
        }
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db) || db > 15)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"'{Redact(url)}': the Redis database must be a number from 0 to 15, got '{path}'.");
            }
            options.DefaultDatabase = db;
        }
        return options;
    }

    /// <summary><paramref name="url"/> with any password replaced by <c>***</c>, for messages (<see cref="Projects.SecretRedactor.MaskUrl(string)"/>).</summary>
    public static string Redact(string url) => Projects.SecretRedactor.MaskUrl(url);

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
