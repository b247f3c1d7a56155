using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.BenchShared;

namespace SpecSynth.Tests.Fakes;

/// <summary>One export request as the collector received it.</summary>
/// <param name="Path">The request path (<c>/v1/traces</c>, or the gRPC method's).</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The protobuf message (a gRPC frame's payload).</param>
internal sealed record OtlpRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool IsTraces => Path.EndsWith("/v1/traces", StringComparison.Ordinal) || Path.EndsWith("TraceService/Export", StringComparison.Ordinal);

    public bool IsMetrics => Path.EndsWith("/v1/metrics", StringComparison.Ordinal) || Path.EndsWith("MetricsService/Export", StringComparison.Ordinal);
}

/// <summary>
/// An in-process OTLP collector on 127.0.0.1: OTLP/HTTP (<c>http/protobuf</c>, <c>POST /v1/traces</c> and
/// <c>/v1/metrics</c>) on <see cref="HttpEndpoint"/>, OTLP/gRPC (HTTP/2 without TLS, the two <c>Export</c> methods) on
/// <see cref="GrpcEndpoint"/>. Records every request and answers with an empty export response.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpRequest> _requests = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The OTLP/HTTP base URL (what <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names).</summary>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary>The OTLP/gRPC URL.</summary>
    public Uri GrpcEndpoint { get; private set; } = null!;

    public IReadOnlyList<OtlpRequest> Requests => [.. _requests];

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans => [.. Requests.Where(r => r.IsTraces).SelectMany(r => OtlpWire.Spans(r.Body))];

    /// <summary>Every metric name received so far.</summary>
    public IReadOnlyList<string> MetricNames => [.. Requests.Where(r => r.IsMetrics).SelectMany(r => OtlpWire.MetricNames(r.Body)).Distinct()];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = LoopbackWebApp.CreateBuilder(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
            o.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        var addresses = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        receiver.HttpEndpoint = new Uri(addresses[0]);
        receiver.GrpcEndpoint = new Uri(addresses[1]);
        return receiver;
    }

    /// <summary>Waits until a span named <paramref name="name"/> arrived (the export is asynchronous), or fails.</summary>
    public async Task<IReadOnlyList<OtlpSpan>> WaitForSpanAsync(string name, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Spans.Any(s => s.Name == name))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no span '{name}' arrived; got: {string.Join(", ", Spans.Select(s => s.Name))}");
            await Task.Delay(50);
        }
        return Spans;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        if (grpc)
        {
            // A gRPC frame: compressed flag, 4-byte big-endian length, the message.
            Assert.Equal(0, body[0]);
            body = body[5..(5 + (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4)))];
        }
        _requests.Enqueue(new OtlpRequest(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
        if (grpc)
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
            return;
        }
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
