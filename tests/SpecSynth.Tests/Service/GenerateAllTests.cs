using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Service;

/// <summary><see cref="ISpecSynthesizer.GenerateAllAsync"/>: several specs over one client; a spec that fails does not stop
/// the others, and each spec's events name it.</summary>
public sealed class GenerateAllTests
{
    private const string Good = "```csharp\n// filepath: src/Alpha.cs\nnamespace Demo;\n\npublic static class Alpha\n{\n}\n```\n";
    private const string Broken = "```csharp\n// filepath: src/Beta.cs\nnamespace Demo;\n\npublic static class Beta\n{\n```\n";

    [Fact]
    public async Task OneSpecUnusable_TheOtherIsWritten_AndEventsNameTheirSpec()
    {
        using var world = new ServiceWorld();
        world.Write("alpha.md", "# Alpha\n\nThe alpha part.\n\n## Requirements\n\n- It MUST exist.\n");
        world.Write("beta.md", "# Beta\n\nThe beta part.\n\n## Requirements\n\n- It MUST exist.\n");
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(ByTitle()));
        var recorder = new EventRecorder();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0, Progress = recorder },
            Concurrency = 2,
        });

        Assert.Equal((1, 1), (all.Succeeded, all.Failed));
        Assert.Equal("alpha.md", all.Results[0]!.Spec);
        Assert.Null(all.Results[1]);
        Assert.Equal(ErrorKind.UnusableOutput, all.Failures[1]!.Kind);
        Assert.True(File.Exists(Path.Combine(world.Out, "src", "Alpha.cs")));
        Assert.False(File.Exists(Path.Combine(world.Out, "src", "Beta.cs")));
        var events = recorder.Events;
        Assert.Equal("alpha.md", Assert.Single(events.OfType<SpecCompletedEvent>()).Spec);
        Assert.Equal("beta.md", Assert.Single(events.OfType<SpecFailedEvent>()).Spec);
        Assert.All(events.OfType<ReplyStartedEvent>(), e => Assert.NotNull(e.Spec));
    }

    [Fact]
    public async Task OnSpecDone_TakesEachSpecAsItFinishes_AndTheResultKeepsOnlyTheCounts()
    {
        using var world = new ServiceWorld();
        WriteSpecs(world);
        var client = ByTitle();
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(client));
        var seen = new List<(GenerateSpecDone Done, int Requests, bool AlphaWritten)>();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }, new GenerateRequest { SpecPath = "gamma.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0 },
            Concurrency = 1,
            OnSpecDone = (done, _) =>
            {
                seen.Add((done, client.Calls, File.Exists(Path.Combine(world.Out, "src", "Alpha.cs"))));
                return ValueTask.CompletedTask;
            },
        });

        // One by one, each as soon as it finished (one spec at a time here: the next one had not asked yet).
        Assert.Equal([0, 1, 2], seen.Select(s => s.Done.Index));
        Assert.Equal([1, 2, 3], seen.Select(s => s.Requests));
        Assert.True(seen[0].AlphaWritten);
        Assert.Equal("alpha.md", seen[0].Done.Result!.Spec);
        Assert.Null(seen[0].Done.Failure);
        Assert.NotEmpty(seen[0].Done.Result!.Diff);
        Assert.Null(seen[1].Done.Result);
        Assert.Equal(("beta.md", ErrorKind.UnusableOutput), (seen[1].Done.Failure!.Spec, seen[1].Done.Failure!.Kind));
        Assert.Equal("gamma.md", seen[2].Done.Result!.Spec);
        // Only the counts stay.
        Assert.Empty(all.Results);
        Assert.Empty(all.Failures);
        Assert.Equal((2, 1), (all.Succeeded, all.Failed));
    }

    [Fact]
    public async Task OnSpecDone_IsNeverCalledTwiceAtOnce_AndGetsEverySpecOnce()
    {
        using var world = new ServiceWorld();
        var specs = Enumerable.Range(0, 8).Select(i =>
        {
            world.Write($"s{i}.md", $"# Alpha {i}\n\nThe alpha part {i}.\n\n## Requirements\n\n- It MUST exist.\n");
            return new GenerateRequest { SpecPath = $"s{i}.md" };
        }).ToList();
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(ByTitle()));
        var (inside, most) = (0, 0);
        var indexes = new List<int>();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = specs,
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0, DryRun = true },
            Concurrency = 4,
            OnSpecDone = async (done, ct) =>
            {
                var now = Interlocked.Increment(ref inside);
                most = Math.Max(most, now);
                await Task.Delay(20, ct);
                indexes.Add(done.Index);
                Interlocked.Decrement(ref inside);
            },
        });

        Assert.Equal(1, most);
        Assert.Equal(Enumerable.Range(0, 8), indexes.Order());
        Assert.Equal((8, 0), (all.Succeeded, all.Failed));
    }

    [Fact]
    public async Task OnSpecDone_Interrupted_TheWrittenSpecsAreNamed_WithoutTheirContents()
    {
        using var world = new ServiceWorld();
        WriteSpecs(world);
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(ByTitle()));
        using var cts = new CancellationTokenSource();

        var ex = await Assert.ThrowsAsync<GenerateInterruptedException>(() => services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }, new GenerateRequest { SpecPath = "gamma.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0 },
            Concurrency = 1,
            OnSpecDone = (done, _) =>
            {
                // Ctrl+C once the first spec is written.
                cts.Cancel();
                return ValueTask.CompletedTask;
            },
        }, cts.Token));

        Assert.Equal(["alpha.md", "beta.md", "gamma.md"], ex.Specs);
        var written = ex.Results[0]!;
        Assert.Equal("alpha.md", written.Spec);
        Assert.NotNull(written.JournalRun);
        var file = Assert.Single(written.Files);
        Assert.Equal(("src/Alpha.cs", SpecSynth.Output.FileAction.Created), (file.Path, file.Action));
        // Nor its files' validation (their diagnostics were kept for every written spec until the run's end).
        Assert.Null(file.Validation);
        Assert.Equal(("", 0, ""), (written.Diff, written.PlannedFiles.Count, written.Explanation));
        Assert.Null(ex.Results[1]);
        Assert.Null(ex.Results[2]);
        Assert.False(File.Exists(Path.Combine(world.Out, "src", "Gamma.cs")));
    }

    [Fact]
    public async Task OnSpecDone_ThatThrows_EndsTheRunWithItsException()
    {
        using var world = new ServiceWorld();
        WriteSpecs(world);
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(ByTitle()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }, new GenerateRequest { SpecPath = "gamma.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0, DryRun = true },
            Concurrency = 1,
            OnSpecDone = (_, _) => throw new InvalidOperationException("host's disk is full"),
        }));

        Assert.Equal("host's disk is full", ex.Message);
    }

    [Fact]
    public async Task ASpecChangedAfterTheCheck_FailsOnItsOwn_SayingSo_AndTheOthersGoOn()
    {
        using var world = new ServiceWorld();
        WriteSpecs(world);
        world.Write("delta.md", "# Delta\n\nThe delta part.\n\n## Requirements\n\n- It MUST exist.\n");
        var client = ByTitle();
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(client));
        var done = new List<(string? Title, GenerateFailure? Failure)>();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }, new GenerateRequest { SpecPath = "gamma.md" },
                new GenerateRequest { SpecPath = "delta.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0 },
            Concurrency = 1,
            OnSpecDone = (d, _) =>
            {
                done.Add((d.Result?.Understood?.Title, d.Failure));
                if (d.Index == 0)
                {
                    // The waiting specs were checked from these files. One byte edited (same length), the same bytes
                    // written again (a new time, same content), a file gone.
                    world.Write("beta.md", "# Bexa\n\nThe beta part.\n\n## Requirements\n\n- It MUST exist.\n");
                    world.Write("gamma.md", "# Gamma\n\nThe gamma part.\n\n## Requirements\n\n- It MUST exist.\n");
                    File.Delete(Path.Combine(world.Project, "delta.md"));
                }
                return ValueTask.CompletedTask;
            },
        });

        Assert.Equal((2, 2), (all.Succeeded, all.Failed));
        Assert.Equal(["Alpha", null, "Gamma", null], done.Select(d => d.Title));
        foreach (var (failure, spec) in new[] { (done[1].Failure!, "beta.md"), (done[3].Failure!, "delta.md") })
        {
            Assert.Equal((spec, ErrorKind.InvalidInput), (failure.Spec, failure.Kind));
            Assert.Equal($"Specification file '{spec}' changed since the run started (its bytes are not the ones checked before the " +
                "first request); nothing was generated for it. Run it again to generate it.", failure.Message);
        }
        // Neither changed spec was sent: alpha's and gamma's requests only.
        Assert.Equal(2, client.Calls);
        Assert.True(File.Exists(Path.Combine(world.Out, "src", "Gamma.cs")));
    }

    private static void WriteSpecs(ServiceWorld world)
    {
        world.Write("alpha.md", "# Alpha\n\nThe alpha part.\n\n## Requirements\n\n- It MUST exist.\n");
        world.Write("beta.md", "# Beta\n\nThe beta part.\n\n## Requirements\n\n- It MUST exist.\n");
        world.Write("gamma.md", "# Gamma\n\nThe gamma part.\n\n## Requirements\n\n- It MUST exist.\n");
    }

    /// <summary>Answers the alpha spec with valid C#, the beta spec with broken C# and the gamma spec with its own valid C#.</summary>
    private static ScriptedChatClient ByTitle() => ScriptedChatClient.ByPrompt(prompt =>
        prompt.Contains("The beta part", StringComparison.Ordinal) ? Broken
        : prompt.Contains("The gamma part", StringComparison.Ordinal) ? Good.Replace("Alpha", "Gamma", StringComparison.Ordinal) : Good);
}
