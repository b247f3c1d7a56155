using Microsoft.Extensions.DependencyInjection;

namespace SpecSynth.Tests.Service;

/// <summary>A dry run plans and diffs: nothing is written, no journal run, and the diff is in the result.</summary>
public sealed class DryRunTests
{
    [Fact]
    public async Task DryRun_WritesNothing_AndReturnsThePlanAndTheDiff()
    {
        using var world = new ServiceWorld();
        await using var services = world.Services();
        var events = new List<SpecSynthEvent>();

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(new GenerateRequest
        {
            SpecPath = "spec.md",
            OutputRoot = "out",
            Providers = "mock",
            DryRun = true,
            Progress = new Recorder(events),
        });

        Assert.Equal(GenerateStatus.DryRun, result.Status);
        Assert.False(Directory.Exists(world.Out));
        Assert.False(Directory.Exists(Path.Combine(world.Home, "journal")));
        Assert.Null(result.JournalRun);
        Assert.Null(result.ConversationId);
        Assert.NotEmpty(result.Files);
        Assert.All(result.Files, f => Assert.Equal(SpecSynth.Output.FileAction.Created, f.Action));
        foreach (var file in result.Files)
        {
            Assert.Contains("+++ b/" + file.Path, result.Diff, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(events, e => e is WritingFilesEvent);
    }

    private sealed class Recorder(List<SpecSynthEvent> events) : IProgress<SpecSynthEvent>
    {
        public void Report(SpecSynthEvent value)
        {
            lock (events)
            {
                events.Add(value);
            }
        }
    }
}
