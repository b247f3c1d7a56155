using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.BenchShared;

namespace RateLimitBench;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 that enforces requests- and tokens-per-minute with token buckets
/// (continuous refill; by default holding one second of rate, as providers enforce per-minute limits over short
/// windows) or sliding windows (<see cref="ServerLimits.Kind"/>). A request is charged on arrival (1 request; input
/// tokens = characters / 4, plus max_completion_tokens) and refunded the unused output when it completes; when a limit
/// cannot pay, the answer is 429 with retry-after-ms / retry-after. With <see cref="ServerLimits.SendHeaders"/> every
/// reply carries x-ratelimit-limit/remaining/reset-requests|tokens (reset: when the limit is full again).
/// </summary>
internal sealed class LimitedServer(WebApplication app, ServerLimits limits) : IAsyncDisposable
{
    private readonly WebApplication app = app;
    private readonly object gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private ILimitMeter requests = limits.Meter(limits.RequestsPerMinute);
    private ILimitMeter tokens = limits.Meter(limits.TokensPerMinute);

    public Uri BaseUrl { get; private set; } = null!;

    public int Requests { get; private set; }

    public int Rejected { get; private set; }

    public long TokensBilled { get; private set; }

    public double FirstAcceptedAt { get; private set; } = double.NaN;

    public double LastAcceptedAt { get; private set; }

    public int Accepted { get; private set; }

    /// <summary>When each accepted request arrived (seconds on the server's clock).</summary>
    public List<double> AcceptedTimes { get; } = [];

    /// <summary>When each 429 was sent and how far the bucket was from paying.</summary>
    public List<string> RejectionDetails { get; } = [];

    public static async Task<LimitedServer> StartAsync(ServerLimits limits)
    {
        var builder = LoopbackWebApp.CreateBuilder();
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
        var (wait, chargedAt) = TryCharge(input + maxOutput);
        if (wait > 0)
        {
            context.Response.StatusCode = 429;
            context.Response.Headers["retry-after-ms"] = ((long)Math.Ceiling(wait * 1000)).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["retry-after"] = ((long)Math.Ceiling(wait)).ToString(CultureInfo.InvariantCulture);
            AddHeaders(context);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
            return;
        }
        await Task.Delay(limits.Latency);
        var output = (long)(maxOutput * limits.OutputShare);
        Refund(chargedAt, maxOutput - output);
        AddHeaders(context);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Reply(input, output));
    }

    private void AddHeaders(HttpContext context)
    {
        if (!limits.SendHeaders)
        {
            return;
        }
        lock (gate)
        {
            var now = clock.Elapsed.TotalSeconds;
            foreach (var (name, meter) in new[] { ("requests", requests), ("tokens", tokens) })
            {
                var (remaining, reset) = meter.Headers(now);
                context.Response.Headers["x-ratelimit-limit-" + name] = ((long)meter.Limit).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["x-ratelimit-remaining-" + name] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["x-ratelimit-reset-" + name] = (reset * 1000).ToString("0", CultureInfo.InvariantCulture) + "ms";
            }
        }
    }

    /// <summary>Forgets all traffic so far (after a warm-up): counters, buckets and clock start again.</summary>
    public void Reset()
    {
        lock (gate)
        {
            clock.Restart();
            requests = limits.Meter(limits.RequestsPerMinute);
            tokens = limits.Meter(limits.TokensPerMinute);
            Requests = Rejected = Accepted = 0;
            TokensBilled = 0;
            FirstAcceptedAt = double.NaN;
            LastAcceptedAt = 0;
            RejectionDetails.Clear();
            AcceptedTimes.Clear();
        }
    }

    /// <summary>Charges both limits, or returns the seconds until they could pay; and when it was charged.</summary>
    private (double Wait, double At) TryCharge(long cost)
    {
        lock (gate)
        {
            Requests++;
            var now = clock.Elapsed.TotalSeconds;
            var requestWait = requests.TryCharge(now, 1);
            var tokenWait = requestWait > 0 ? 0 : tokens.TryCharge(now, cost);
            if (requestWait == 0 && tokenWait > 0)
            {
                requests.Refund(now, 1);
            }
            var wait = Math.Max(requestWait, tokenWait);
            if (wait > 0)
            {
                Rejected++;
                RejectionDetails.Add($"at {now:0.000} s, short by {wait * 1000:0.0} ms ({(requestWait > tokenWait ? "requests" : "tokens")})");
                return (wait, now);
            }
            TokensBilled += cost;
            Accepted++;
            AcceptedTimes.Add(now);
            FirstAcceptedAt = double.IsNaN(FirstAcceptedAt) ? now : FirstAcceptedAt;
            LastAcceptedAt = now;
            return (0, now);
        }
    }

    private void Refund(double chargedAt, long cost)
    {
        lock (gate)
        {
            tokens.Refund(chargedAt, cost);
            TokensBilled -= cost;
        }
    }

    private static string Reply(long input, long output) =>
        $$$"""{"id":"chatcmpl-b","object":"chat.completion","created":1764060000,"model":"gpt-4.1","choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{input}}},"completion_tokens":{{{output}}},"total_tokens":{{{input + output}}}}}""";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
