using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using RateLimitBench;
using SpecSynth.Llm.Providers;
using SpecSynth.Llm.Resilience;

// 200 concurrent generations through the resilience pipeline (client-side limits = the server's limits) against a
// fake OpenAI-compatible server that enforces RPM/TPM and answers 429 when they are exceeded. Prints JSON.
var generations = Arg("--generations", 200);
var limits = new ServerLimits(Arg("--rpm", 600), Arg("--tpm", 240_000), TimeSpan.FromMilliseconds(Arg("--latency-ms", 300)), 0.6);
const int MaxOutput = 200;
var prompt = string.Concat(Enumerable.Repeat("Write a function that adds two numbers. ", 40)); // 1,600 characters = 400 tokens

await using var server = await LimitedServer.StartAsync(limits);
using var sdk = ProviderClientFactory.Create(new ProviderSettings { Provider = "openai", Model = "gpt-4.1", BaseUrl = server.BaseUrl });
var events = new RecordingResilienceObserver(TimeProvider.System);
var link = new ProviderLink("openai", sdk)
{
    RateLimit = new RateLimitOptions { RequestsPerMinute = limits.RequestsPerMinute, TokensPerMinute = limits.TokensPerMinute, BurstSeconds = LimitedServer.BurstSeconds },
};
var pipeline = ResiliencePipeline.Build([link], new ResilienceOptions(), TimeProvider.System, events, new ResilienceRegistry(TimeProvider.System));

// Warm-up (JIT of both sides, first connection): otherwise the first requests, sent apart, reach the server bunched
// together and can overdraw its one-second bucket. --cold skips it.
var warm = !args.Contains("--cold");
if (warm)
{
    await sdk.GetResponseAsync([new ChatMessage(ChatRole.User, "warm up")], new ChatOptions { MaxOutputTokens = 1 });
    server.Reset();
}

var failures = 0;
var watch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, generations).Select(async i =>
{
    try
    {
        await pipeline.GetResponseAsync([new ChatMessage(ChatRole.User, prompt + i.ToString("D3", CultureInfo.InvariantCulture))],
            new ChatOptions { MaxOutputTokens = MaxOutput });
    }
    catch (Exception ex) when (ex is SpecSynth.SpecSynthException)
    {
        Interlocked.Increment(ref failures);
    }
}));
watch.Stop();

// Allowed volume over the accepted window: one bucket of burst plus the refill rate.
var window = server.LastAcceptedAt - server.FirstAcceptedAt;
var allowedTokens = (limits.TokensPerSecond * LimitedServer.BurstSeconds) + (limits.TokensPerSecond * window);
var allowedRequests = (limits.RequestsPerSecond * LimitedServer.BurstSeconds) + (limits.RequestsPerSecond * window);
var tokenShare = server.TokensBilled / allowedTokens;
var requestShare = server.Accepted / allowedRequests;
var report = new
{
    generations,
    warm_up = warm,
    failures,
    elapsed_seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
    limits = new { rpm = limits.RequestsPerMinute, tpm = limits.TokensPerMinute, burst_seconds = LimitedServer.BurstSeconds, latency_ms = limits.Latency.TotalMilliseconds },
    server_requests = server.Requests,
    server_429s = server.Rejected,
    server_429_details = server.RejectionDetails,
    share_429 = Math.Round((double)server.Rejected / server.Requests, 4),
    achieved_rpm = Math.Round(server.Accepted / window * 60, 1),
    achieved_tpm = Math.Round(server.TokensBilled / window * 60, 0),
    share_of_request_limit = Math.Round(requestShare, 4),
    share_of_token_limit = Math.Round(tokenShare, 4),
    share_of_binding_limit = Math.Round(Math.Max(requestShare, tokenShare), 4),
    client_rate_limit_waits = events.Events.Count(e => e.Kind == "rate_limit_wait"),
    client_retries = events.Events.Count(e => e.Kind == "retry"),
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return failures == 0 ? 0 : 1;

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
