using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Fakes;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Batching;

/// <summary><c>--batch-repairs</c>: the repair round of a spec whose batched files are invalid goes through a second batch
/// at batch price, not as a normal request.</summary>
public sealed class BatchRepairTests
{
    /// <summary>A reply whose C# does not parse (the class is never closed).</summary>
    private static string Broken(string name) => $"```csharp\n// filepath: src/{name}.cs\nnamespace Demo;\n\npublic static class {name} // BROKEN\n{{\n```\n";

    [Fact]
    public async Task InvalidFiles_AreRepairedInASecondBatch_AtBatchPrice()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server)
        {
            // Alpha's first reply is invalid; its repair request (which carries that reply) gets valid code. Beta is valid at once.
            Answer = (_, p) =>
            {
                var text = p.GetRawText();
                var part = BatchWorld.Part(text)!;
                return AnthropicBatchFake.Succeeded(part == "Alpha" && !text.Contains("BROKEN", StringComparison.Ordinal) ? Broken(part) : BatchWorld.Code(part));
            },
        };
        using var world = new BatchWorld(server);
        await using var services = world.Services();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [BatchWorld.Spec("Alpha"), BatchWorld.Spec("Beta")],
            Options = BatchWorld.Options("claude") with { RepairRounds = 1 },
            Batch = true,
            BatchRepairs = true,
        });

        Assert.True(all.Succeeded == 2, string.Join("\n", all.Failures.Select(f => f?.Message)));
        Assert.True(world.Written("Alpha") && world.Written("Beta"));
        Assert.DoesNotContain("BROKEN", File.ReadAllText(Path.Combine(world.Out, "src", "Alpha.cs")), StringComparison.Ordinal);
        Assert.Equal(2, fake.Creates);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/v1/messages");
        var creates = server.Requests.Where(r => r.Method == "POST" && r.Path == "/v1/messages/batches").ToList();
        Assert.Equal(2, creates[0].Json.GetProperty("requests").GetArrayLength());
        var repair = Assert.Single(creates[1].Json.GetProperty("requests").EnumerateArray().ToList());
        Assert.Contains("BROKEN", repair.GetProperty("params").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(2, all.Batches!.Count);
        Assert.All(all.Batches.SelectMany(b => b.Specs), s => Assert.Equal("written", s.State));

        // The repair reply is priced like the batched generate replies (same usage): at batch price, apart from normal repairs.
        var report = UsageReport.Query(null, UsageGrouping.Operation, null, k => world.World.Env.TryGetValue(k, out var v) ? v : null);
        var generate = Assert.Single(report.Groups, g => g.Key == "generate-batch");
        var repaired = Assert.Single(report.Groups, g => g.Key == "repair-batch");
        Assert.Equal(2, generate.Requests);
        Assert.Equal(1, repaired.Requests);
        Assert.True(repaired.CostUsd > 0);
        Assert.Equal(Math.Round(generate.CostUsd / 2, 6), Math.Round(repaired.CostUsd, 6));
        Assert.DoesNotContain(report.Groups, g => g.Key == "repair");
    }
}
