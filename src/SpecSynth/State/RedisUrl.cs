using System.Globalization;

namespace SpecSynth.State;

/// <summary>
/// A parsed <c>[cache] url</c> / <c>[shared] redis</c> address: <c>redis://[[user]:password@]host[:port][/db]</c>,
/// <c>rediss://…</c> (TLS) or a bare <c>host:port</c> (port 6379 and db 0 by default; the password may be
/// percent-encoded). Parsed in the core so the configuration is checked without the Redis client (the
/// <c>SpecSynth.Redis</c> package connects with it). The password is never part of <see cref="Display"/>.
/// </summary>
internal sealed record RedisUrl(string Host, int Port, bool Ssl, string? User, string? Password, int? Database)
{
    /// <summary>"host:port/db" for messages; never the password.</summary>
    public string Display => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database ?? 0}");

    /// <summary>"host:port" for messages; never the password.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>Parses <paramref name="url"/>.</summary>
    /// <exception cref="SpecSynthException">Not a redis URL (<see cref="ErrorKind.InvalidInput"/>); the message never shows the password.</exception>
    public static RedisUrl Parse(string url)
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
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var u = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            var p = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            user = u.Length > 0 ? u : null;
            password = p.Length > 0 ? p : null;
        }
        int? db = null;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 15)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"'{Redact(url)}': the Redis database must be a number from 0 to 15, got '{path}'.");
            }
            db = number;
        }
        // The host as the URI spells it (an IPv6 address keeps its brackets, as a DNS end point does).
        return new RedisUrl(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port, uri.Scheme == "rediss", user, password, db);
    }

    /// <summary><paramref name="url"/> with any password replaced by <c>***</c>, for messages (<see cref="Projects.SecretRedactor.MaskUrl(string)"/>).</summary>
    public static string Redact(string url) => Projects.SecretRedactor.MaskUrl(url);
}
