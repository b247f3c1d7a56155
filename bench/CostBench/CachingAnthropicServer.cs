using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;
using SpecSynth.BenchShared;

namespace CostBench;

/// <summary>
/// A fake Anthropic Messages endpoint on 127.0.0.1 that implements prompt caching the way the API documents it, so the
/// usage it reports is what Anthropic would bill:
/// <list type="bullet">
/// <item>The prompt is the ordered list of blocks: system blocks, then each message's content blocks. A block with
/// <c>cache_control</c> is a breakpoint; the cache key of a breakpoint hashes the model and every block up to and
/// including it (text and role, without the cache_control marks themselves).</item>
/// <item>The longest breakpoint prefix present in the cache and not expired is read (<c>cache_read_input_tokens</c>) and
/// its lifetime refreshed; every breakpoint prefix beyond it that reaches the model's minimum (1024 tokens, 2048 for
/// Haiku) is written, billed as <c>cache_creation_input_tokens</c> = last written prefix - read tokens; the rest is
/// <c>input_tokens</c>.</item>
/// <item>Entries live 5 minutes (refreshed on each read) on a virtual clock the benchmark advances.</item>
/// </list>
/// Tokens are counted with o200k_base as a stand-in for Claude's tokenizer (deterministic; only ratios matter).
/// </summary>
internal sealed class CachingAnthropicServer : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private readonly Dictionary<string, DateTimeOffset> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private CachingAnthropicServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The virtual clock: the benchmark advances it between requests.</summary>
    public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What the server billed, by request, in order.</summary>
    public List<Billing> Bills { get; } = [];

    public int OutputTokens { get; set; } = 600;

    public static async Task<CachingAnthropicServer> StartAsync()
    {
        var builder = LoopbackWebApp.CreateBuilder();
        var server = new CachingAnthropicServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Forgets every cache entry and bill (between layouts).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _cache.Clear();
            Bills.Clear();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        var model = body["model"]!.GetValue<string>();
        var bill = Bill(model, Blocks(body));
        lock (_gate)
        {
            Bills.Add(bill);
        }
        var stream = body["stream"]?.GetValue<bool>() == true;
        context.Response.StatusCode = 200;
        context.Response.ContentType = stream ? "text/event-stream" : "application/json";
        await context.Response.WriteAsync(stream ? Sse(model, bill, OutputTokens) : Json(model, bill, OutputTokens));
    }

    /// <summary>The prompt's blocks in cache order: (canonical text for hashing, tokens, has cache_control).</summary>
    private List<(string Canonical, int Tokens, bool Breakpoint)> Blocks(JsonObject body)
    {
        var blocks = new List<(string, int, bool)>();
        void Add(string role, JsonNode? content)
        {
            if (content is JsonValue value)
            {
                var text = value.GetValue<string>();
                blocks.Add((role + "\u0000" + text, _tokenizer.CountTokens(text), false));
                return;
            }
            foreach (var block in content?.AsArray() ?? [])
            {
                var text = block!["text"]?.GetValue<string>() ?? block.ToJsonString();
                blocks.Add((role + "\u0000" + text, _tokenizer.CountTokens(text), block["cache_control"] is not null));
            }
        }
        Add("system", body["system"]);
        foreach (var message in body["messages"]!.AsArray())
        {
            Add(message!["role"]!.GetValue<string>(), message["content"]);
        }
        return blocks;
    }

    private Billing Bill(string model, List<(string Canonical, int Tokens, bool Breakpoint)> blocks)
    {
        var minimum = model.Contains("haiku", StringComparison.OrdinalIgnoreCase) ? 2048 : 1024;
        var total = blocks.Sum(b => b.Tokens);
        var breakpoints = new List<(string Key, int Prefix)>();
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(model + "\u0001"));
            var prefix = 0;
            foreach (var (canonical, tokens, breakpoint) in blocks)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(canonical + "\u0001"));
                prefix += tokens;
                if (breakpoint && prefix >= minimum)
                {
                    breakpoints.Add((Convert.ToHexString(hash.GetCurrentHash()), prefix));
                }
            }
        }
        lock (_gate)
        {
            var read = 0;
            foreach (var (key, prefix) in breakpoints.AsEnumerable().Reverse())
            {
                if (_cache.TryGetValue(key, out var expires) && expires > Now)
                {
                    read = prefix;
                    _cache[key] = Now + Ttl;
                    break;
                }
            }
            var written = read;
            foreach (var (key, prefix) in breakpoints.Where(b => b.Prefix > read))
            {
                _cache[key] = Now + Ttl;
                written = Math.Max(written, prefix);
            }
            var write = written - read;
            return new Billing(total - read - write, write, read);
        }
    }

    private static string Usage(Billing bill, int output) =>
        $$"""{"input_tokens":{{bill.Input}},"cache_creation_input_tokens":{{bill.CacheWrite}},"cache_read_input_tokens":{{bill.CacheRead}},"output_tokens":{{output}}}""";

    private static readonly string Reply = JsonSerializer.Serialize("```csharp\n// filepath: src/Feature.cs\nnamespace Demo;\n\npublic static class Feature\n{\n    public static int Answer() => 42;\n}\n```\n\nThe feature is implemented in src/Feature.cs.");

    private static string Json(string model, Billing bill, int output) =>
        $$"""{"id":"msg_bench","type":"message","role":"assistant","model":{{JsonSerializer.Serialize(model)}},"content":[{"type":"text","text":{{Reply}}}],"stop_reason":"end_turn","stop_sequence":null,"usage":{{Usage(bill, output)}}}""";

    private static string Sse(string model, Billing bill, int output)
    {
        var sb = new StringBuilder();
        void Event(string name, string data) => sb.Append("event: ").Append(name).Append("\ndata: ").Append(data).Append("\n\n");
        Event("message_start", """{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":""" + JsonSerializer.Serialize(model)
            + ""","content":[],"stop_reason":null,"stop_sequence":null,"usage":""" + Usage(bill, 1) + "}}");
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""");
        Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""" + Reply + "}}");
        Event("content_block_stop", """{"type":"content_block_stop","index":0}""");
        Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":""" + Usage(bill, output) + "}");
        Event("message_stop", """{"type":"message_stop"}""");
        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What one request was billed: uncached input, cache write and cache read tokens.</summary>
internal sealed record Billing(int Input, int CacheWrite, int CacheRead);
