using StackExchange.Redis;

namespace SpecSynth.Middleware;

/// <summary>
/// Rate-limit buckets shared through Redis (<c>[shared] redis = "redis://…"</c>): every process using the same Redis
/// draws from the same buckets per provider + key alias. Connects on first use. When Redis cannot be reached (at the
/// start or mid-run) the limiters fall back to their process-local buckets for the rest of the run, with one warning.
/// </summary>
internal sealed class RedisRateLimits : IDisposable
{
    private readonly ConfigurationOptions options;
    private readonly Action<string>? onWarning;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private ConnectionMultiplexer? connection;
    private int degraded;

    private RedisRateLimits(ConfigurationOptions options, string endpoint, Action<string>? onWarning)
    {
        this.options = options;
        Endpoint = endpoint;
        this.onWarning = onWarning;
    }

    /// <summary>The server, as <c>host:port</c> (never the credentials), for messages.</summary>
    public string Endpoint { get; }

    /// <summary>Whether the limiters fell back to local buckets (Redis was lost).</summary>
    public bool IsDegraded => Volatile.Read(ref degraded) == 1;

    /// <summary>Prepares the shared limits for <paramref name="url"/> (<c>redis://[user:password@]host[:port][/db]</c>,
    /// <c>rediss://</c> for TLS, or <c>host:port</c>). Nothing is connected yet.</summary>
    /// <param name="url">The server.</param>
    /// <param name="onWarning">Receives the one warning when Redis is lost.</param>
    /// <exception cref="SpecSynthException">Not a Redis address (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static RedisRateLimits Create(string url, Action<string>? onWarning = null)
    {
        var (options, endpoint) = Parse(url);
        return new RedisRateLimits(options, endpoint, onWarning);
    }

    /// <summary>The database, connecting on first use; <c>null</c> once degraded.</summary>
    internal async Task<IDatabase?> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (IsDegraded)
        {
            return null;
        }
        if (connection is { } ready)
        {
            return ready.GetDatabase();
        }
        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (connection is null && !IsDegraded)
            {
                try
                {
                    connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
                }
                catch (RedisException ex)
                {
                    Degrade(ex);
                    return null;
                }
            }
            return connection?.GetDatabase();
        }
        finally
        {
            connecting.Release();
        }
    }

    /// <summary>Switches every limiter to its local buckets for the rest of the run; warns once.</summary>
    internal void Degrade(Exception reason)
    {
        if (Interlocked.Exchange(ref degraded, 1) == 0)
        {
            onWarning?.Invoke($"Redis at {Endpoint} is unreachable ({reason.GetType().Name}): rate limits are kept by this process alone for the rest of the run");
        }
    }

    /// <summary>Whether <paramref name="ex"/> means Redis is gone (rather than a bug).</summary>
    internal static bool IsLost(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

    /// <inheritdoc />
    public void Dispose()
    {
        connection?.Dispose();
        connecting.Dispose();
    }

    /// <summary>The options of <see cref="State.RedisConnection.Parse"/> (one parser for every Redis use) and the server as
    /// <c>host:port</c>.</summary>
    internal static (ConfigurationOptions Options, string Endpoint) Parse(string url)
    {
        var options = State.RedisConnection.Parse(url ?? "");
        var display = State.RedisConnection.Describe(options);
        return (options, display[..display.LastIndexOf('/')]);
    }
}
