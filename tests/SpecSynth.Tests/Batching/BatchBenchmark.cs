using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Service;
using Xunit.Abstractions;

namespace SpecSynth.Tests.Batching;

/// <summary>
/// The batch path against the normal path over the same specs and fake Claude server: cost, HTTP requests sent, time
/// spent polling, time and allocations. Prints one JSON line. 12 specs in the suite; <c>SPECSYNTH_BENCH_SPECS=200</c> for
/// the numbers in docs/benchmarks.md.
/// </summary>
public sealed partial class BatchBenchmark(ITestOutputHelper output)
{
    [Fact]
    public async Task BatchPath_CostsHalf_AndSendsAHandfulOfRequests()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SPECSYNTH_BENCH_SPECS"), CultureInfo.InvariantCulture, out var n) ? n : 12;
        var normal = await RunAsync(count, batch: false);
        var batched = await RunAsync(count, batch: true);
        output.WriteLine(JsonSerializer.Serialize(new { specs = count, normal, batch = batched }));

        Assert.Equal(count, normal.Written);
        Assert.Equal(count, batched.Written);
        Assert.Equal(count, normal.Requests);
        Assert.True(batched.Requests <= 6, $"{batched.Requests} requests");
        Assert.Equal(Math.Round(normal.CostUsd / 2, 4), Math.Round(batched.CostUsd, 4));
    }

    private static async Task<Run> RunAsync(int count, bool batch)
    {
        await using var server = await FakeProviderServer.StartAsync();
        string Answer(string prompt) => AnthropicBatchFake.Succeeded(Code(Name().Match(prompt).Groups[1].Value), input: 4000, output: 900);
        if (batch)
        {
            _ = new AnthropicBatchFake(server) { PollsBeforeEnd = 3, Answer = (_, p) => Answer(p.GetRawText()) };
        }
        else
        {
            server.Router = r => r.Path == "/v1/messages"
                ? AnthropicWire.Json(Code(Name().Match(r.Body).Groups[1].Value), "end_turn", 4000, 900, 0, 0, "claude-sonnet-4-5-20250929")
                : null;
        }
        using var world = new BatchWorld(server);
        var specs = new List<GenerateRequest>();
        for (var i = 0; i < count; i++)
        {
            var name = "Spec" + i.ToString("D3", CultureInfo.InvariantCulture);
            world.World.Write($"specs/{name}.md", $"# {name}\n\nThe {name} part.\n\n## Requirements\n\n- It MUST exist.\n");
            specs.Add(new GenerateRequest { SpecPath = $"specs/{name}.md" });
        }
        await using var services = world.Services();
        var polls = new PollClock();
        var total = GC.GetTotalAllocatedBytes(precise: false);
        var started = TimeProvider.System.GetTimestamp();
        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = specs,
            Options = BatchWorld.Options("claude", polls) with { Cache = global::SpecSynth.Caching.CacheMode.Off, Stream = false },
            Batch = batch,
        });
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        return new Run(all.Succeeded, server.Requests.Count, all.Results.Sum(r => r?.CostUsd ?? 0m),
            Math.Round(elapsed.TotalSeconds, 2), Math.Round(polls.Polling.TotalSeconds, 2),
            (GC.GetTotalAllocatedBytes(precise: false) - total) / (1024 * 1024));
    }

    private static string Code(string name) => BatchWorld.Code(name);

    [GeneratedRegex("The (Spec[0-9]{3}) part")]
    private static partial Regex Name();

    private sealed record Run(int Written, int Requests, decimal CostUsd, double Seconds, double PollingSeconds, long AllocatedMb);

    /// <summary>Time from the batch's submission to its end, from the progress events.</summary>
    private sealed class PollClock : IProgress<SpecSynthEvent>
    {
        public TimeSpan Polling { get; private set; }

        public void Report(SpecSynthEvent value)
        {
            if (value is BatchEvent { Status: "ended" } e)
            {
                Polling = e.Elapsed;
            }
        }
    }
}
