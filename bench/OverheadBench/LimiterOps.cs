using System.Diagnostics;
using SpecSynth.Middleware;

namespace OverheadBench;

/// <summary>
/// <c>--limiter-ops</c> (session 17, hops17): the rate-limit layer's bookkeeping alone, one thread, never waiting: a
/// configured client limiter's acquire and correction and the server-header tracker's acquire and reply, 2,000,000 times a
/// round, 7 rounds; prints process CPU ns and bytes allocated per request.
/// </summary>
internal static class LimiterOps
{
    public static async Task RunAsync(int count)
    {
        var limiter = new ProviderRateLimiter(new RateLimitOptions { RequestsPerMinute = 1_000_000_000 }, TimeProvider.System);
        var server = new ServerRateLimits(TimeProvider.System);
        var headers = RateLimitHeaders.Parse(new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        for (var round = 0; round < 7; round++)
        {
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var alloc = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < count; i++)
            {
                await limiter.AcquireAsync(1000, CancellationToken.None).ConfigureAwait(false);
                var (ticket, _, _) = await server.AcquireAsync(1000, CancellationToken.None).ConfigureAwait(false);
                server.Observe(ticket, headers);
                limiter.Correct(1000, 900);
            }
            process.Refresh();
            Console.WriteLine($"round {round}: {(process.TotalProcessorTime - cpu).TotalMilliseconds * 1e6 / count:F1} ns/request, {(GC.GetAllocatedBytesForCurrentThread() - alloc) / (double)count:F1} B/request");
        }
    }
}
