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
        var recorder = new EventRecorder();

        var result = await services.GetRequiredService<ISpecSynthesizer>().GenerateAsync(new GenerateRequest
        {
            SpecPath = "spec.md",
            OutputRoot = "out",
            Providers = "mock",
            DryRun = true,
            Progress = recorder,
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
        Assert.DoesNotContain(recorder.Events, e => e is WritingFilesEvent);
    }

}
