using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Batching;

/// <summary>
/// A real <c>specsynth generate --batch</c> process SIGKILLed at each step of a batch run (submission held before and after
/// the fake provider accepted it, the first poll, polling, result writing), then <c>specsynth batch resume</c>: every spec is
/// written exactly once (one committed journal run per file), the fake holds one batch (no duplicate), and a second resume
/// finds nothing left and sends nothing.
/// </summary>
public sealed partial class BatchKillTests
{
    /// <summary>The fake holds the create call; the process is killed before the provider made the batch.</summary>
    public const string BeforeAccepted = "before-accepted";

    /// <summary>The fake made the batch but holds the create answer: the provider's id never reached the process.</summary>
    public const string AnswerLost = "answer-lost";

    /// <summary>The fake holds the first poll: the provider's id was stored.</summary>
    public const string FirstPoll = "first-poll";

    /// <summary>The batch never ends; killed after a few polls.</summary>
    public const string Polling = "polling";

    [Theory]
    [InlineData(BeforeAccepted, 2)]
    [InlineData(AnswerLost, 1)]
    [InlineData(FirstPoll, 1)]
    [InlineData(Polling, 1)]
    public async Task Sigkill_DuringSubmissionOrPolling_ResumeCompletesEachSpecOnce(string moment, int creates)
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server) { Answer = (_, p) => AnthropicBatchFake.Succeeded(BatchWorld.Code(Name(p))) };
        using var world = new BatchWorld(server);
        Func<bool> ready;
        switch (moment)
        {
            case BeforeAccepted:
                fake.HoldCreates = true;
                ready = () => fake.Creates > 0;
                break;
            case AnswerLost:
                fake.HoldCreateAnswers = true;
                ready = () => fake.Count > 0;
                break;
            case FirstPoll:
                fake.HoldPolls = true;
                ready = () => Polls(server) > 0;
                break;
            default:
                fake.NeverEnd = true;
                ready = () => Polls(server) >= 3;
                break;
        }

        await KillAsync(world, ["alpha.md", "beta.md", "gamma.md"], ready, moment);
        Assert.False(world.Written("Alpha") || world.Written("Beta") || world.Written("Gamma"));
        (fake.HoldCreates, fake.HoldCreateAnswers, fake.HoldPolls, fake.NeverEnd) = (false, false, false, false);

        await ResumeAsync(world, server, ["Alpha", "Beta", "Gamma"], samePrompts: true);
        Assert.Equal(creates, fake.Creates);
        Assert.Equal(1, fake.Count);
    }

    [Fact]
    public async Task Sigkill_DuringResultWriting_ResumeWritesTheRestOnce()
    {
        await using var server = await FakeProviderServer.StartAsync();
        var fake = new AnthropicBatchFake(server)
        {
            Answer = (_, p) => AnthropicBatchFake.Succeeded(BatchWorld.Code(Name(p))),
            ResultsPause = TimeSpan.FromMilliseconds(40),
        };
        using var world = new BatchWorld(server);
        var names = Enumerable.Range(1, 10).Select(i => "Part" + i.ToString("D2", CultureInfo.InvariantCulture)).ToList();
        foreach (var name in names)
        {
            world.World.Write(name.ToLowerInvariant() + ".md", $"# {name}\n\nThe {name.ToLowerInvariant()} part.\n\n## Requirements\n\n- It MUST exist.\n");
        }

        await KillAsync(world, [.. names.Select(n => n.ToLowerInvariant() + ".md")],
            () => world.Count("SELECT count(*) FROM batch_requests WHERE state = 'written'") > 0, "the first spec written");
        var writtenBefore = names.Count(world.Written);
        Assert.InRange(writtenBefore, 1, names.Count - 1);
        fake.ResultsPause = TimeSpan.Zero;

        // Specs written before the kill are context now: the others' prompts differ from the submitted ones (warned).
        await ResumeAsync(world, server, names, samePrompts: false);
        Assert.Equal(1, fake.Creates);
        Assert.Equal(1, fake.Count);
    }

    /// <summary>Starts the CLI, waits for <paramref name="ready"/>, SIGKILLs it.</summary>
    private static async Task KillAsync(BatchWorld world, string[] specs, Func<bool> ready, string what)
    {
        using var cli = CliProcess.Start(world.World.Project, world.World.Env,
            ["generate", .. specs, "--batch", "--provider", "claude", "--out", "out", "--repair-rounds", "0"]);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!ready())
        {
            if (cli.Process.HasExited || DateTime.UtcNow > deadline)
            {
                var result = await cli.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Fail($"never saw {what}; the CLI ended with {result.ExitCode}: {result.Error}");
            }
            await Task.Delay(5);
        }
        cli.Signal(RunningCli.SigKill);
        Assert.Equal(137, (await cli.WaitAsync(TimeSpan.FromSeconds(30))).ExitCode);
    }

    /// <summary><c>batch resume</c> writes every spec once; a second one has nothing left and sends nothing.</summary>
    private static async Task ResumeAsync(BatchWorld world, FakeProviderServer server, IReadOnlyList<string> names, bool samePrompts)
    {
        var cli = world.World.Cli();
        var resume = await cli.RunAsync("batch", "resume", "--json");

        Assert.True(resume.ExitCode == 0, resume.Error);
        if (samePrompts)
        {
            // The resumed run plans the prompts that were submitted (the same context folder, nothing written yet).
            Assert.DoesNotContain("its prompt changed", resume.Error, StringComparison.Ordinal);
        }
        Assert.All(names, n => Assert.True(world.Written(n), n + " was not written: " + resume.Out + resume.Error));
        var writes = world.JournalWrites();
        // A spec whose file the killed writer had already put in place (its run still pending in the journal, where
        // `undo` finds it) is unchanged for the resumed run: written once, by the killed run.
        var pending = world.JournalWrites("pending");
        Assert.All(names, n => Assert.Equal(1, writes.GetValueOrDefault("src/" + n + ".cs")
            + (writes.ContainsKey("src/" + n + ".cs") ? 0 : pending.GetValueOrDefault("src/" + n + ".cs"))));
        using (var json = JsonDocument.Parse(resume.Out))
        {
            Assert.All(json.RootElement.GetProperty("batches").EnumerateArray().SelectMany(b => b.GetProperty("specs").EnumerateArray())
                .Where(s => s.GetProperty("state").GetString() != "resubmitted"),
                s => Assert.Equal("written", s.GetProperty("state").GetString()));
        }

        var requests = server.Requests.Count;
        var again = await cli.RunAsync("batch", "resume", "--json");
        Assert.True(again.ExitCode == 2, $"exit {again.ExitCode}: {again.Out}{again.Error}");
        Assert.Contains("no batch left to resume", again.Error, StringComparison.Ordinal);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(writes, world.JournalWrites());
    }

    private static int Polls(FakeProviderServer server) =>
        server.Requests.Count(r => r.Method == "GET" && PollPath().IsMatch(r.Path));

    /// <summary>The part a request's prompt is for (<c>The part07 part.</c> → <c>Part07</c>).</summary>
    private static string Name(JsonElement request)
    {
        var part = PartName().Match(request.GetRawText()).Groups[1].Value;
        return char.ToUpperInvariant(part[0]) + part[1..];
    }

    [GeneratedRegex(@"^/v1/messages/batches/[^/]+$")]
    private static partial Regex PollPath();

    [GeneratedRegex(@"The ([a-z0-9]+) part\.")]
    private static partial Regex PartName();
}
