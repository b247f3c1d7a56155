using SpecSynth.Cli;
using SpecSynth.Cli.Commands;
using SpecSynth.Middleware;
using SpecSynth.Output;

namespace SpecSynth.Tests.Cli;

/// <summary><see cref="GenerateStream"/>: the output of a run of several specs, built as they finish in any order, is the
/// same bytes as the document built from every result at the end (<see cref="Reference"/>: the shape the CLI printed before
/// results were streamed, serialised whole).</summary>
public sealed class GenerateStreamTests
{
    private static readonly string[] Specs = ["a.md", "b.md", "c.md", "d.md"];

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(false, false, false)]
    public async Task OutOfOrder_GivesTheSameBytes_AsEveryResultAtTheEnd(bool json, bool dryRun, bool batches)
    {
        var results = new GenerateResult?[] { Result("a.md", dryRun), null, Result("c.md", dryRun), null };
        var failures = new GenerateFailure?[]
        {
            null, new("b.md", ErrorKind.UnusableOutput, "no files in the reply"), null, new("d.md", ErrorKind.BudgetExceeded, "over budget"),
        };
        var all = new GenerateAllResult(results, failures, [new ResilienceEvent("retry", "openai", DateTimeOffset.UnixEpoch, 1, TimeSpan.FromSeconds(2), "429")])
        {
            Batches = batches ? [new BatchInfo("b1", "openai", "batch_1", "completed", DateTimeOffset.UnixEpoch, "/p", [])] : null,
        };
        var (expectedOut, expectedErr) = (new StringWriter(), new StringWriter());
        await Reference(Host(expectedOut, expectedErr), json, dryRun, Specs, all);

        var (actualOut, actualErr) = (new StringWriter(), new StringWriter());
        await using (var stream = new GenerateStream(json, dryRun, Specs))
        {
            foreach (var i in new[] { 2, 3, 0, 1 })
            {
                await stream.OnSpecDoneAsync(new GenerateSpecDone(i, results[i], failures[i]), CancellationToken.None);
            }
            var counts = new GenerateAllResult([], [], all.Events) { Batches = all.Batches, Succeeded = 2, Failed = 2 };
            await stream.WriteAsync(Host(actualOut, actualErr), counts, CancellationToken.None);
            Assert.Equal("b.md", stream.FirstFailure!.Spec);
        }

        Assert.Equal(expectedOut.ToString(), actualOut.ToString());
        Assert.Equal(expectedErr.ToString(), actualErr.ToString());
        Assert.NotEmpty(json || dryRun ? actualOut.ToString() : actualErr.ToString());
    }

    [Fact]
    public async Task ASpec_IsWrittenOnceEveryEarlierSpecFinished_AndNotKept()
    {
        await using var stream = new GenerateStream(json: false, dryRun: true, Specs);
        var held = Give(stream, 1);
        GC.Collect();
        Assert.True(held.IsAlive, "a spec that finished before an earlier one waits for it");
        Give(stream, 0);
        GC.Collect();

        Assert.False(held.IsAlive, "a spec's result is let go once written");
        Assert.Null(stream.FirstFailure);
    }

    [Fact]
    public async Task TheSpoolFile_HasNoNameLeft_WhileItIsWritten_SoAKilledRunLeavesNothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the check reads /proc; elsewhere the file is deleted on close (Windows) or at once (other Unix) by the same code
        }
        await using var stream = new GenerateStream(json: true, dryRun: false, Specs);
        Give(stream, 0);

        var spools = Directory.GetFiles("/proc/self/fd").Select(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                return null; // closed meanwhile
            }
        }).Where(target => target is not null && target.Contains("specsynth-out-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(spools);
        Assert.All(spools, target => Assert.EndsWith(" (deleted)", target, StringComparison.Ordinal));
    }

    /// <summary>Hands the stream spec <paramref name="index"/>'s result; the reference only follows it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference Give(GenerateStream stream, int index)
    {
        var result = Result(Specs[index], dryRun: true);
        Assert.True(stream.OnSpecDoneAsync(new GenerateSpecDone(index, result, null), CancellationToken.None).IsCompletedSuccessfully);
        return new WeakReference(result);
    }

    [Fact]
    public async Task AllResultsAtOnce_GiveTheSameBytes_AsTheReference()
    {
        var results = new GenerateResult?[] { Result("a.md", dryRun: false), null, Result("c.md", dryRun: false), Result("d.md", dryRun: false) };
        var failures = new GenerateFailure?[] { null, new("b.md", ErrorKind.UnusableOutput, "no files in the reply"), null, null };
        var all = new GenerateAllResult(results, failures, []);
        var (expected, actual) = (new StringWriter(), new StringWriter());

        await Reference(Host(expected, new StringWriter()), json: true, dryRun: false, Specs, all);
        await GenerateOutput.WriteManyAsync(Host(actual, new StringWriter()), json: true, dryRun: false, Specs, all);

        Assert.Equal(expected.ToString(), actual.ToString());
    }

    /// <summary>The output of several specs as the CLI built it from every result at the end: the whole document serialised
    /// at once (or each dry run's diff), then the summary line.</summary>
    private static async Task Reference(CliHost host, bool json, bool dryRun, IReadOnlyList<string> specs, GenerateAllResult all)
    {
        if (json)
        {
            var results = specs.Select((spec, i) => GenerateOutput.ResultJson(spec, all.Results[i], all.Failures[i]));
            object body = all.Batches is { } batches
                ? new { Results = results, all.Succeeded, all.Failed, all.Events, Batches = batches }
                : new { Results = results, all.Succeeded, all.Failed, all.Events };
            await host.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(body, CliJson.Options));
            return;
        }
        if (dryRun)
        {
            foreach (var result in all.Results.OfType<GenerateResult>())
            {
                await host.Out.WriteAsync(result.Diff);
            }
        }
        await host.Error.WriteLineAsync($"{specs.Count - all.Failed} of {specs.Count} specs generated; {all.Failed} failed.");
    }

    private static CliHost Host(TextWriter output, TextWriter error) => new(output, error, _ => null, "/", false, TimeProvider.System);

    private static GenerateResult Result(string spec, bool dryRun) => new()
    {
        Spec = spec,
        Status = dryRun ? GenerateStatus.DryRun : GenerateStatus.Written,
        Provider = "openai",
        Model = "gpt-4o",
        Usage = new GenerateUsage(100, 20, 0, 0),
        CostUsd = 0.0004m,
        OutputRoot = "/out",
        Files = [new GenerateFileResult($"gen/{spec}", FileAction.Created, false, 12, "markdown", null)],
        Repair = new GenerateRepair(true, 0, []),
        JournalRun = dryRun ? null : "run-" + spec,
        Explanation = "Here is \"the\" file <é>.",
        Diff = $"--- /dev/null\n+++ b/gen/{spec}\n@@ -0,0 +1 @@\n+note ✓ {spec}\n",
    };
}
