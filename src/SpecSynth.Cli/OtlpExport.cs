using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SpecSynth.Cli;

/// <summary>
/// The CLI's OpenTelemetry SDK: exports specsynth's spans and metrics (<see cref="SpecSynthTelemetry"/>) over OTLP for one
/// run. The only type that names the SDK, created only when <see cref="CliTelemetry"/> found an endpoint. Disposing it
/// flushes what is pending (a short run exits before any periodic export) and shuts the providers down.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    /// <summary>How long the exit waits for the collector, per signal.</summary>
    private const int FlushTimeoutMilliseconds = 5000;

    private readonly TracerProvider _traces;
    private readonly MeterProvider _metrics;

    private OtlpExport(TracerProvider traces, MeterProvider metrics) => (_traces, _metrics) = (traces, metrics);

    public static OtlpExport Start(OtlpSettings settings)
    {
        var version = typeof(OtlpExport).Assembly.GetName().Version?.ToString(3);
        var resource = ResourceBuilder.CreateEmpty()
            .AddService(settings.ServiceName, serviceVersion: version)
            .AddAttributes(settings.ResourceAttributes);
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(SpecSynthTelemetry.ActivitySourceName)
            .AddOtlpExporter(o => Configure(o, settings, "v1/traces"))
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(SpecSynthTelemetry.MeterName)
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, settings, "v1/metrics");
                // Delta: each run's (or each minute's, for mcp) counts, as a short-lived process reports them.
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Delta;
            })
            .Build();
        return new OtlpExport(traces, metrics);
    }

    public void Dispose()
    {
        _traces.ForceFlush(FlushTimeoutMilliseconds);
        _metrics.ForceFlush(FlushTimeoutMilliseconds);
        _traces.Dispose();
        _metrics.Dispose();
    }

    private static void Configure(OtlpExporterOptions options, OtlpSettings settings, string signalPath)
    {
        options.Protocol = settings.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // Set in code, the endpoint is used as given: HTTP needs the signal's path (as the SDK adds to the variable's value).
        var root = settings.Endpoint.AbsoluteUri.EndsWith('/') ? settings.Endpoint : new Uri(settings.Endpoint.AbsoluteUri + "/");
        options.Endpoint = settings.Grpc ? settings.Endpoint : new Uri(root, signalPath);
        options.TimeoutMilliseconds = FlushTimeoutMilliseconds;
        if (settings.Headers is { } headers)
        {
            options.Headers = headers;
        }
    }
}
