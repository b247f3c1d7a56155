using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RateLimitBench;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 that enforces requests- and tokens-per-minute with token buckets
/// holding one second of rate (providers enforce per-minute limits over short windows). A request is charged on
/// arrival (1 request; input tokens = characters / 4, plus max_completion_tokens) and refunded the unused output when
/// it completes; when a bucket cannot pay, the answer is 429 with retry-after-ms / retry-after.
/// </summary>
internal sealed class LimitedServer(WebApplication app, ServerLimits limits) : IAsyncDisposable
{
    private readonly WebApplication app = app;
    /// <summary>Bucket size in seconds of rate, on both sides.</summary>
    public const double BurstSeconds = 1;

    private readonly object gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double requestsFullAt;
    private double tokensFullAt;

    public Uri BaseUrl { get; private set; } = null!;

    public int Requests { get; private set; }

    public int Rejected { get; private set; }

    public long TokensBilled { get; private set; }

    public double FirstAcceptedAt { get; private set; } = double.NaN;

    public double LastAcceptedAt { get; private set; }

    public int Accepted { get; private set; }

    /// <summary>When each 429 was sent and how far the bucket was from paying.</summary>
    public List<string> RejectionDetails { get; } = [];

    public static async Task<LimitedServer> StartAsync(ServerLimits limits)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var server = new LimitedServer(builder.Build(), limits);
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        var chars = doc.RootElement.GetProperty("messages").EnumerateArray()
            .Sum(m => m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()!.Length : 0);
        var input = (long)Math.Ceiling(chars / 4.0);
        var maxOutput = doc.RootElement.TryGetProperty("max_completion_tokens", out var mo) ? mo.GetInt64() : 4096;
        var wait = TryCharge(input + maxOutput);
        if (wait > 0)
        {
            context.Response.StatusCode = 429;
            context.Response.Headers["retry-after-ms"] = ((long)Math.Ceiling(wait * 1000)).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["retry-after"] = ((long)Math.Ceiling(wait)).ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
            return;
        }
        await Task.Delay(limits.Latency);
        var output = (long)(maxOutput * limits.OutputShare);
        Refund(maxOutput - output);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Reply(input, output));
    }

    /// <summary>Forgets all traffic so far (after a warm-up): counters, buckets and clock start again.</summary>
    public void Reset()
    {
        lock (gate)
        {
            clock.Restart();
            requestsFullAt = tokensFullAt = 0;
            Requests = Rejected = Accepted = 0;
            TokensBilled = 0;
            FirstAcceptedAt = double.NaN;
            LastAcceptedAt = 0;
            RejectionDetails.Clear();
        }
    }

    /// <summary>Charges both buckets, or returns the seconds until they could pay.</summary>
    private double TryCharge(long tokens)
    {
        lock (gate)
        {
            Requests++;
            var now = clock.Elapsed.TotalSeconds;
            var requestWait = Earliest(requestsFullAt, now, 1, limits.RequestsPerSecond) - now;
            var tokenWait = Earliest(tokensFullAt, now, tokens, limits.TokensPerSecond) - now;
            var wait = Math.Max(requestWait, tokenWait);
            if (wait > 0)
            {
                Rejected++;
                RejectionDetails.Add($"at {now:0.000} s, short by {wait * 1000:0.0} ms ({(requestWait > tokenWait ? "requests" : "tokens")})");
                return wait;
            }
            requestsFullAt = Math.Max(requestsFullAt, now) + (1 / limits.RequestsPerSecond);
            tokensFullAt = Math.Max(tokensFullAt, now) + (tokens / limits.TokensPerSecond);
            TokensBilled += tokens;
            Accepted++;
            FirstAcceptedAt = double.IsNaN(FirstAcceptedAt) ? now : FirstAcceptedAt;
            LastAcceptedAt = now;
            return 0;
        }
    }

    private void Refund(long tokens)
    {
        lock (gate)
        {
            tokensFullAt -= tokens / limits.TokensPerSecond;
            TokensBilled -= tokens;
        }
    }

    /// <summary>When a bucket of one second's capacity that is full at <paramref name="fullAt"/> can pay <paramref name="cost"/>.</summary>
    private static double Earliest(double fullAt, double now, double cost, double ratePerSecond)
    {
        var capacity = ratePerSecond * BurstSeconds;
        return Math.Max(fullAt, now) - ((capacity - Math.Min(cost, capacity)) / ratePerSecond);
    }

    private static string Reply(long input, long output) =>
        $$$"""{"id":"chatcmpl-b","object":"chat.completion","created":1764060000,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{input}}},"completion_tokens":{{{output}}},"total_tokens":{{{input + output}}}}}""";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
