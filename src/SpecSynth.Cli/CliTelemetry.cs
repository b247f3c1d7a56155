using System.Runtime.CompilerServices;
using SpecSynth.Telemetry;

namespace SpecSynth.Cli;

/// <summary>
/// Decides whether a CLI run exports traces and metrics, from the standard OpenTelemetry variables and the project's
/// <c>[telemetry]</c> section (the variables win): <c>OTEL_SDK_DISABLED</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c>, <c>grpc</c>), <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>. Only the commands that run the library (generate, explain,
/// review, context, mcp) export. Without an endpoint nothing is started and no OpenTelemetry assembly is loaded: the SDK
/// is only touched by <see cref="OtlpExport"/>.
/// </summary>
internal static class CliTelemetry
{
    private static readonly string[] Commands = ["generate", "explain", "review", "context", "mcp"];

    /// <summary>Starts the export for <paramref name="command"/> when configured; disposing the result flushes and stops
    /// it. <c>null</c> when nothing is configured (or the command exports nothing).</summary>
    public static IDisposable? Start(CliHost host, string command)
    {
        if (!Commands.Contains(command) || Settings(host) is not { } settings)
        {
            return null;
        }
        try
        {
            return Export(settings);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or UriFormatException)
        {
            host.Error.WriteLine($"warning: telemetry is off for this run ({ex.Message})");
            return null;
        }
    }

    /// <summary>What to export, or <c>null</c> for nothing: no endpoint, <c>OTEL_SDK_DISABLED=true</c> or
    /// <c>[telemetry] enabled = false</c>. A bad variable is a warning on standard error, and no export.</summary>
    internal static OtlpSettings? Settings(CliHost host)
    {
        if (string.Equals(host.GetEnv("OTEL_SDK_DISABLED")?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var configured = ConfiguredTelemetry(host);
        if (!configured.Enabled)
        {
            return null;
        }
        var endpointText = Env(host, "OTEL_EXPORTER_OTLP_ENDPOINT") ?? configured.Endpoint?.ToString();
        if (endpointText is null)
        {
            return null;
        }
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            host.Error.WriteLine($"warning: telemetry is off for this run: OTEL_EXPORTER_OTLP_ENDPOINT '{endpointText}' is not an http(s) URL");
            return null;
        }
        var protocol = Env(host, "OTEL_EXPORTER_OTLP_PROTOCOL") ?? configured.Protocol ?? "http/protobuf";
        if (!TelemetryOptions.Protocols.Contains(protocol))
        {
            host.Error.WriteLine($"warning: telemetry is off for this run: OTEL_EXPORTER_OTLP_PROTOCOL '{protocol}' is not supported " +
                $"(use {string.Join(" or ", TelemetryOptions.Protocols)})");
            return null;
        }
        return new OtlpSettings(endpoint, protocol == "grpc", Env(host, "OTEL_EXPORTER_OTLP_HEADERS"),
            Env(host, "OTEL_SERVICE_NAME") ?? configured.ServiceName ?? "specsynth", ResourceAttributes(Env(host, "OTEL_RESOURCE_ATTRIBUTES")));
    }

    /// <summary>The project's <c>[telemetry]</c> (the current folder's configuration); the defaults when it cannot be read
    /// (the command itself reports a bad file).</summary>
    private static TelemetryOptions ConfiguredTelemetry(CliHost host)
    {
        try
        {
            return SpecSynthConfiguration.Load(host.CurrentDirectory, host.GetEnv).Telemetry;
        }
        catch (SpecSynthException)
        {
            return new TelemetryOptions();
        }
    }

    /// <summary><c>OTEL_RESOURCE_ATTRIBUTES</c>: <c>key=value</c> pairs separated by commas, values percent-encoded.</summary>
    internal static IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes(string? text) =>
        text is null ? [] :
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim().Length > 0)
            .Select(kv => new KeyValuePair<string, object>(kv[0].Trim(), Uri.UnescapeDataString(kv[1].Trim())))];

    private static string? Env(CliHost host, string name) => host.GetEnv(name) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    /// <summary>The one call into the OpenTelemetry SDK, kept out of line so that the SDK's assemblies load only here.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IDisposable Export(OtlpSettings settings) => OtlpExport.Start(settings);
}

/// <summary>What the OTLP export sends where.</summary>
/// <param name="Endpoint">The collector's base URL (<c>/v1/traces</c> and <c>/v1/metrics</c> are added for HTTP).</param>
/// <param name="Grpc">gRPC instead of HTTP/protobuf.</param>
/// <param name="Headers"><c>OTEL_EXPORTER_OTLP_HEADERS</c> (<c>key=value,…</c>), or <c>null</c>.</param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
/// <param name="ResourceAttributes">Further resource attributes (<c>OTEL_RESOURCE_ATTRIBUTES</c>).</param>
internal sealed record OtlpSettings(Uri Endpoint, bool Grpc, string? Headers, string ServiceName,
    IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes);
