using Tomlyn.Model;
using SpecSynth.State;

namespace SpecSynth.Config;

/// <summary>Reads <c>[cache]</c> (<c>enabled</c>, <c>ttl_hours</c>, <c>url</c>) and <c>[shared]</c> (<c>redis</c>).</summary>
internal sealed class TomlCacheReader(TomlConfigReader reader)
{
    public SpecSynthConfig ApplyCache(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Cache;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "enabled" => options with { Enabled = value is bool b ? b : throw reader.Error("cache", key, "'cache.enabled' must be true or false") },
                "ttl_hours" => options with { Ttl = Hours(value, key) },
                "url" => options with { Url = RedisUrl(value, "cache", key) },
                _ => throw reader.Error("cache", key, $"unknown key 'cache.{key}' (known: enabled, ttl_hours, url)"),
            };
        }
        return config with { Cache = options };
    }

    public SpecSynthConfig ApplyShared(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Shared;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "redis" => options with { Redis = RedisUrl(value, "shared", key) },
                _ => throw reader.Error("shared", key, $"unknown key 'shared.{key}' (known: redis)"),
            };
        }
        return config with { Shared = options };
    }

    private TimeSpan Hours(object value, string key)
    {
        double? n = value switch { double d => d, long l => l, _ => null };
        return n is { } h && h > 0 && h <= 24 * 365 * 10
            ? TimeSpan.FromHours(h)
            : throw reader.Error("cache", key, "'cache.ttl_hours' must be a number of hours above 0 (at most 87600)");
    }

    private string RedisUrl(object value, string table, string key)
    {
        if (value is not string { Length: > 0 } url)
        {
            throw reader.Error(table, key, $"'{table}.{key}' must be a redis:// URL");
        }
        try
        {
            _ = State.RedisUrl.Parse(url);
            return url;
        }
        catch (SpecSynthException ex)
        {
            throw reader.Error(table, key, $"'{table}.{key}': {ex.Message.TrimEnd('.')}");
        }
    }
}
