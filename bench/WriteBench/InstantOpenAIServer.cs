using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.BenchShared;

namespace WriteBench;

/// <summary>An OpenAI-compatible Chat Completions server on loopback that answers at once: for each request, one file
/// named after the spec's title (<c>gen/&lt;title&gt;.md</c>), streamed as server-sent events with usage.</summary>
internal sealed partial class InstantOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private InstantOpenAIServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<InstantOpenAIServer> StartAsync()
    {
        var builder = LoopbackWebApp.CreateBuilder();
        var server = new InstantOpenAIServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (Environment.GetEnvironmentVariable("WRITEBENCH_DUMP") is { } dump) { File.WriteAllText(dump, body); }
        var titles = Title().Matches(body);
        var title = titles.Count > 0 ? titles[^1].Groups[1].Value : "untitled";
        var text = $"Here is the file.\n\n```markdown\n<!-- filepath: gen/{title}.md -->\n# {title}\n\nGenerated for {title}.\n```\n";
        var stream = body.Contains("\"stream\":true", StringComparison.Ordinal);
        context.Response.StatusCode = 200;
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1764060000,\"model\":\"bench-model\",\"choices\":[{\"index\":0," +
                "\"message\":{\"role\":\"assistant\",\"content\":" + JsonSerializer.Serialize(text) + "},\"finish_reason\":\"stop\"}]," +
                "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":30,\"total_tokens\":130}}", context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        const string head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,\"model\":\"bench-model\"";
        var sse = new StringBuilder();
        sse.Append(head).Append(",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":")
           .Append(JsonSerializer.Serialize(text)).Append("},\"finish_reason\":null}]}\n\n");
        sse.Append(head).Append(",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sse.Append(head).Append(",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":30,\"total_tokens\":130}}\n\n");
        sse.Append("data: [DONE]\n\n");
        await context.Response.WriteAsync(sse.ToString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("<specification title=\\\\?\"([A-Za-z0-9-]{1,80})")]
    private static partial Regex Title();
}
