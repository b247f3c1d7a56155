using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.BenchShared;

namespace OverheadBench;

/// <summary>Answers OpenAI Chat Completions (<c>/v1/chat/completions</c>) and Anthropic Messages (<c>/v1/messages</c>) at
/// once on loopback, always with the same short streamed reply (server-sent events, usage included).</summary>
internal sealed class InstantServer : IAsyncDisposable
{
    private static readonly byte[] OpenAIReply = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":1,\"total_tokens\":101}}\n\n" +
        "data: [DONE]\n\n");

    private static readonly byte[] AnthropicReply = Encoding.UTF8.GetBytes(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    private readonly WebApplication _app;

    private InstantServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<InstantServer> StartAsync()
    {
        var builder = LoopbackWebApp.CreateBuilder();
        var server = new InstantServer(builder.Build());
        server._app.Run(HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        // Read the whole request, as a real server does.
        var buffer = new byte[16 * 1024];
        while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
        {
        }
        var anthropic = context.Request.Path.Value?.EndsWith("/messages", StringComparison.Ordinal) == true;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        if (Trickle == 0)
        {
            await context.Response.Body.WriteAsync(anthropic ? AnthropicReply : OpenAIReply, context.RequestAborted);
            return;
        }
        // --trickle N: the reply's text in N more events, each sent on its own after a short pause (as a model streams
        // tokens), so each of the client's reads waits for the network.
        var reply = anthropic ? AnthropicReply : OpenAIReply;
        var text = anthropic ? AnthropicDelta : OpenAIDelta;
        var split = IndexOf(reply, anthropic ? "event: content_block_stop"u8 : "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{}"u8);
        await context.Response.Body.WriteAsync(reply.AsMemory(0, split), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        for (var i = 0; i < Trickle; i++)
        {
            await Task.Delay(1, context.RequestAborted);
            await context.Response.Body.WriteAsync(text, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        await context.Response.Body.WriteAsync(reply.AsMemory(split), context.RequestAborted);
    }

    /// <summary>Text events sent one by one (<c>--trickle</c>): 0 sends the whole reply at once.</summary>
    public static int Trickle { get; set; }

    private static readonly byte[] OpenAIDelta = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" ok\"},\"finish_reason\":null}]}\n\n");

    private static readonly byte[] AnthropicDelta = Encoding.UTF8.GetBytes(
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" ok\"}}\n\n");

    private static int IndexOf(byte[] reply, ReadOnlySpan<byte> marker)
    {
        var at = reply.AsSpan().IndexOf(marker);
        return at >= 0 ? at : throw new InvalidOperationException("the reply has no such event");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
