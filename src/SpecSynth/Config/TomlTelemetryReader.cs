using SpecSynth.Telemetry;
using Tomlyn.Model;

namespace SpecSynth.Config;

/// <summary>Reads <c>[telemetry]</c> (<c>enabled</c>, <c>endpoint</c>, <c>protocol</c>, <c>service_name</c>,
/// <c>include_content</c>).</summary>
internal sealed class TomlTelemetryReader(TomlConfigReader reader)
{
    private const string Known = "enabled, endpoint, protocol, service_name, include_content";

    public SpecSynthConfig Apply(SpecSynthConfig config, TomlTable table)
    {
        var options = config.Telemetry;
        foreach (var (key, value) in table)
        {
            options = key switch
            {
                "enabled" => options with { Enabled = Bool(key, value) },
                "include_content" => options with { IncludeContent = Bool(key, value) },
                "endpoint" => options with { Endpoint = Endpoint(key, value) },
                "protocol" => options with
                {
                    Protocol = value is string p && TelemetryOptions.Protocols.Contains(p) ? p
                        : throw reader.Error("telemetry", key, $"'telemetry.protocol' must be one of {string.Join(", ", TelemetryOptions.Protocols.Select(x => $"\"{x}\""))}"),
                },
                "service_name" => options with
                {
                    ServiceName = value is string s && s.Trim().Length is > 0 and <= 200 ? s.Trim()
                        : throw reader.Error("telemetry", key, "'telemetry.service_name' must be a non-empty string of at most 200 characters"),
                },
                _ => throw reader.Error("telemetry", key, $"unknown key 'telemetry.{key}' (known: {Known})"),
            };
        }
        return config with { Telemetry = options };
    }

    private bool Bool(string key, object value) =>
        value is bool b ? b : throw reader.Error("telemetry", key, $"'telemetry.{key}' must be true or false");

    private Uri Endpoint(string key, object value) =>
        value is string s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
            ? uri
            : throw reader.Error("telemetry", key, "'telemetry.endpoint' must be an http:// or https:// URL without credentials " +
                "(e.g. \"http://localhost:4318\"; put headers such as an API key in OTEL_EXPORTER_OTLP_HEADERS)");
}
