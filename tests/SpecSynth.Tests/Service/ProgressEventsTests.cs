using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace SpecSynth.Tests.Service;

/// <summary>The typed progress events of a run arrive in the order things happen.</summary>
public sealed class ProgressEventsTests
{
    private const string Broken = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\"\n";
    private const string Fixed = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\";\n}\n";

    private static string Reply(string content) => "```csharp\n// filepath: src/Greeter.cs\n" + content + "```\n";

    [Fact]
    public async Task RunWithARepairRound_ReportsScanReplyValidationRepairAndWrite_InOrder()
    {
        using var world = new ServiceWorld();
        var host = new HostChatClient("openai", "gpt-4.1", Reply(Broken), Reply(Fixed));
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(host));
        var recorder = new EventRecorder();

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(
            new GenerateRequest { SpecPath = "spec.md", OutputRoot = "out", Progress = recorder });

        Assert.Equal(2, host.Calls);
        Assert.Equal(1, result.Repair.RoundsUsed);
        Assert.Equal(Fixed, File.ReadAllText(Path.Combine(world.Out, "src", "Greeter.cs")));
        var seen = recorder.Events.ToList();
        var order = seen.Where(e => e is not ReplyDeltaEvent and not WarningEvent).Select(Name).ToList();
        Assert.Equal(
            ["scanning", "scanned", "planned", "started", "finished", "validating 0", "repair 1", "validating 1", "round 1", "stages over", "writing 1"],
            order);
        var firstDelta = seen.FindIndex(e => e is ReplyDeltaEvent);
        Assert.True(firstDelta > seen.FindIndex(e => e is ReplyStartedEvent) && firstDelta < seen.FindIndex(e => e is ReplyFinishedEvent));
        var repair = seen.FindIndex(e => e is RepairRoundEvent);
        var revalidate = seen.FindIndex(e => e is ValidatingEvent { Round: 1 });
        Assert.Contains(seen[repair..revalidate].OfType<ReplyDeltaEvent>(), d => d.Delta.Contains("Greet", StringComparison.Ordinal));
    }

    private static string Name(SpecSynthEvent e) => e switch
    {
        ScanningEvent => "scanning",
        ScannedEvent => "scanned",
        ContextPlannedEvent => "planned",
        ReplyStartedEvent => "started",
        ReplyFinishedEvent => "finished",
        ValidatingEvent v => $"validating {v.Round}",
        RepairRoundEvent r => $"repair {r.Round}",
        RepairRoundResultEvent r => $"round {r.Round}",
        StagesFinishedEvent => "stages over",
        WritingFilesEvent w => $"writing {w.Count}",
        _ => e.GetType().Name,
    };
}
