namespace SpecSynth.Telemetry;

/// <summary>
/// The <c>[telemetry]</c> settings. The library only reports through <see cref="SpecSynthTelemetry.ActivitySourceName"/> and
/// <see cref="SpecSynthTelemetry.MeterName"/> (a host exports them with its own OpenTelemetry setup); the CLI exports them
/// over OTLP when an endpoint is configured here or in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the variables win).
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>The protocols <see cref="Protocol"/> accepts, as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> names them.</summary>
    public static IReadOnlyList<string> Protocols { get; } = ["http/protobuf", "grpc"];

    /// <summary><c>[telemetry] enabled</c>: <c>false</c> turns the CLI's export off even when an endpoint is set (default
    /// <c>true</c>; <c>OTEL_SDK_DISABLED=true</c> does the same).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>[telemetry] endpoint</c>: the OTLP collector's base URL (e.g. <c>http://localhost:4318</c> for
    /// <c>http/protobuf</c>, <c>http://localhost:4317</c> for <c>grpc</c>); <c>null</c> exports nothing unless
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary><c>[telemetry] protocol</c>: <c>http/protobuf</c> or <c>grpc</c>; <c>null</c> for
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else <c>http/protobuf</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary><c>[telemetry] service_name</c>: the <c>service.name</c> resource attribute; <c>null</c> for
    /// <c>OTEL_SERVICE_NAME</c>, else <c>specsynth</c>.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>[telemetry] include_content</c>: also record each request's prompt and reply on its chat span
    /// (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>), redacted like the audit log (default <c>false</c>:
    /// never). API keys are never recorded.</summary>
    public bool IncludeContent { get; init; }
}
