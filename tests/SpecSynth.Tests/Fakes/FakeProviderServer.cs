using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.BenchShared;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// An in-process HTTP server on 127.0.0.1 (random port) that records every request and answers with
/// scripted <see cref="FakeResponse"/>s, flushing between small chunks so clients see real fragmentation.
/// </summary>
internal sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeResponse> queue = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    private FakeProviderServer(WebApplication app) => this.app = app;

    /// <summary>The server root, with a trailing slash.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Answers by path before the queue is consulted (e.g. Ollama's <c>/api/tags</c>); <c>null</c> falls through.</summary>
    public Func<RecordedRequest, FakeResponse?>? Router { get; set; }

    /// <summary>The reply used when the queue is empty.</summary>
    public FakeResponse Fallback { get; set; } = FakeResponse.Json("{\"error\":\"no scripted response\"}", 599);

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = LoopbackWebApp.CreateBuilder();
        var server = new FakeProviderServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues replies, used one per request in order.</summary>
    public FakeProviderServer Enqueue(params FakeResponse[] responses)
    {
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }
        return this;
    }

    /// <summary>The root joined with a relative path, e.g. <c>v1</c>.</summary>
    public Uri Url(string relative) => new(BaseUrl, relative);

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        requests.Enqueue(request);
        var response = Router?.Invoke(request) ?? (queue.TryDequeue(out var next) ? next : Fallback);
        if (response.NeverAnswer)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
            return;
        }
        if (response.AbortBeforeHeaders)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = value;
            }
            else if (!name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.Append(name, value);
            }
        }
        await WriteBodyAsync(context, response);
    }

    private static async Task WriteBodyAsync(HttpContext context, FakeResponse response)
    {
        var body = response.Body;
        var limit = response.AbortAfterBytes ?? body.Length;
        var offset = 0;
        var turn = 0;
        var paused = false;
        await context.Response.StartAsync(context.RequestAborted);
        while (offset < Math.Min(limit, body.Length))
        {
            if (!paused && response.PauseAfterBytes is { } pauseAt && offset >= pauseAt)
            {
                paused = true;
                await Task.Delay(response.Pause, context.RequestAborted);
            }
            var size = response.ChunkSizes.Count == 0 ? body.Length : response.ChunkSizes[turn++ % response.ChunkSizes.Count];
            size = Math.Min(size, Math.Min(limit, body.Length) - offset);
            if (response.DelayPerChunk > TimeSpan.Zero)
            {
                await Task.Delay(response.DelayPerChunk, context.RequestAborted);
            }
            await context.Response.Body.WriteAsync(body.AsMemory(offset, size), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            offset += size;
        }
        if (response.AbortAfterBytes is not null)
        {
            context.Abort();
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        return new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
