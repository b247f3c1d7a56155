using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using RateLimitBench;
using SpecSynth;
using SpecSynth.Middleware;

// Concurrent generations through specsynth's public pipeline (UseSpecSynth around the OpenAI SDK's own client, its retries
// off) against a fake OpenAI-compatible server that enforces RPM/TPM
// (token buckets or a sliding window) and answers 429 when they are exceeded. By default the client-side limits are
// the server's; with --headers-only none are configured: specsynth's own provider clients adapt to the x-ratelimit-*
// headers the server sends on every reply, but a host's own client (this bench since issue 13) does not expose them to
// the pipeline, so that mode now measures retry-after alone. Prints JSON.
var generations = Arg("--generations", 200);
var headersOnly = args.Contains("--headers-only");
var limits = new ServerLimits(Arg("--rpm", 600), Arg("--tpm", 240_000), TimeSpan.FromMilliseconds(Arg("--latency-ms", 300)), 0.6)
{
    Kind = Text("--kind", "bucket"),
    BurstSeconds = Arg("--burst-seconds", 1),
    WindowSeconds = Arg("--window-seconds", 60),
    SendHeaders = headersOnly || args.Contains("--headers"),
};
var concurrency = Arg("--concurrency", generations);
var maxOutput = Arg("--max-output", 200);
var prompt = string.Concat(Enumerable.Repeat("Write a function that adds two numbers. ", 40)); // 1,600 characters = 400 tokens

await using var server = await LimitedServer.StartAsync(limits);
using var sdk = new OpenAI.Chat.ChatClient("gpt-4.1", new ApiKeyCredential("bench-key"),
    new OpenAIClientOptions { Endpoint = server.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) }).AsIChatClient();
var events = new CountingObserver();
using var pipeline = new ChatClientBuilder(sdk).UseSpecSynth(new SpecSynthPipelineOptions
{
    Provider = "openai",
    RateLimits = headersOnly ? null : new RateLimitOptions
    {
        RequestsPerMinute = limits.RequestsPerMinute,
        TokensPerMinute = limits.TokensPerMinute,
        BurstSeconds = limits.BurstSeconds,
    },
    Observer = events,
    TimeProvider = TimeProvider.System,
}).Build();

// Warm-up (JIT of both sides, first connection): otherwise the first requests, sent apart, reach the server bunched
// together and can overdraw its one-second bucket. --cold skips it.
var warm = !args.Contains("--cold");
if (warm)
{
    await sdk.GetResponseAsync([new ChatMessage(ChatRole.User, "warm up")], new ChatOptions { MaxOutputTokens = 1 });
    server.Reset();
}

var failures = 0;
using var slots = new SemaphoreSlim(concurrency);
var watch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, generations).Select(async i =>
{
    await slots.WaitAsync();
    try
    {
        await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, prompt + i.ToString("D3", CultureInfo.InvariantCulture))],
            new ChatOptions { MaxOutputTokens = maxOutput });
    }
    catch (Exception ex) when (ex is SpecSynth.SpecSynthException)
    {
        Interlocked.Increment(ref failures);
        Console.Error.WriteLine(ex.Message);
    }
    finally
    {
        slots.Release();
    }
}));
watch.Stop();

var window = server.LastAcceptedAt - server.FirstAcceptedAt;
double requestShare, tokenShare;
if (limits.Kind == "sliding")
{
    // The earliest the last request could have been accepted, given when the others were: a window of W seconds after
    // the request the limit's worth before it (requests bind; with tokens, the limit's worth of equal requests).
    var perWindowRequests = (int)(limits.RequestsPerMinute * limits.WindowSeconds / 60);
    var perRequestTokens = server.Accepted == 0 ? 1 : (double)server.TokensBilled / server.Accepted;
    var perWindowByTokens = (int)(limits.TokensPerMinute * limits.WindowSeconds / 60 / perRequestTokens);
    requestShare = SlidingShare(perWindowRequests);
    tokenShare = SlidingShare(perWindowByTokens);
}
else
{
    // Allowed volume over the accepted window: one bucket of burst plus the refill rate.
    requestShare = server.Accepted / ((limits.RequestsPerSecond * limits.BurstSeconds) + (limits.RequestsPerSecond * window));
    tokenShare = server.TokensBilled / ((limits.TokensPerSecond * limits.BurstSeconds) + (limits.TokensPerSecond * window));
}
var report = new
{
    generations,
    concurrency,
    warm_up = warm,
    client_limits = !headersOnly,
    failures,
    elapsed_seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
    limits = new
    {
        kind = limits.Kind,
        rpm = limits.RequestsPerMinute,
        tpm = limits.TokensPerMinute,
        burst_seconds = limits.BurstSeconds,
        window_seconds = limits.WindowSeconds,
        headers = limits.SendHeaders,
        latency_ms = limits.Latency.TotalMilliseconds,
    },
    server_requests = server.Requests,
    server_429s = server.Rejected,
    server_429_details = server.RejectionDetails,
    share_429 = Math.Round((double)server.Rejected / server.Requests, 4),
    accepted_window_seconds = Math.Round(window, 2),
    achieved_rpm = Math.Round(server.Accepted / window * 60, 1),
    achieved_tpm = Math.Round(server.TokensBilled / window * 60, 0),
    share_of_request_limit = Math.Round(requestShare, 4),
    share_of_token_limit = Math.Round(tokenShare, 4),
    share_of_binding_limit = Math.Round(Math.Max(requestShare, tokenShare), 4),
    client_rate_limit_waits = events.RateLimitWaits,
    client_retries = events.Retries,
    circuit_opened = events.CircuitsOpened,
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return failures == 0 ? 0 : 1;

double SlidingShare(int perWindow)
{
    var times = server.AcceptedTimes.Order().ToList();
    if (perWindow <= 0 || times.Count <= perWindow)
    {
        return 0;
    }
    var ideal = times[times.Count - 1 - perWindow] + limits.WindowSeconds - times[0];
    return Math.Min(1, ideal / (times[^1] - times[0]));
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

string Text(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
