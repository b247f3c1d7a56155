using SpecSynth.Output;
using SpecSynth.Validation;

namespace SpecSynth.Tests.Service;

/// <summary><see cref="WrittenSpecs"/>: what a streamed run keeps of each written spec for an interruption's message.</summary>
public sealed class WrittenSpecsTests
{
    [Fact]
    public void WrittenSpecs_AreReadBack_WithTheirFilesRunAndUsage_WithoutContentsOrValidation()
    {
        var written = new WrittenSpecs(3);
        written.Add(0, Result("a.md", "run-a", File("src/A.cs", FileAction.Created), File("src/B.cs", FileAction.Unchanged)));
        written.Add(2, Result("c.md", "run-c", File("src/C.cs", FileAction.Modified)));

        Assert.True(written.Any);
        Assert.Equal(3, written.Count);
        Assert.Null(written[1]);
        var a = written[0]!;
        Assert.Equal(("a.md", GenerateStatus.Written, "run-a", "openai", "gpt-x", "/out"), (a.Spec, a.Status, a.JournalRun, a.Provider, a.Model, a.OutputRoot));
        Assert.Equal([("src/A.cs", FileAction.Created, 10), ("src/B.cs", FileAction.Unchanged, 10)], a.Files.Select(f => (f.Path, f.Action, f.Bytes)));
        Assert.All(a.Files, f => Assert.Null(f.Validation));
        Assert.Equal((new GenerateUsage(5, 6, 0, 0), 0.25m, 7L), (a.Usage, a.CostUsd, a.ConversationId));
        Assert.Equal((true, 1, 0), (a.Repair.Valid, a.Repair.RoundsUsed, a.Repair.Rounds.Count));
        Assert.Equal(("", "", 0), (a.Diff, a.Explanation, a.PlannedFiles.Count));
        var c = written[2]!;
        Assert.Equal(("c.md", "run-c"), (c.Spec, c.JournalRun));
        Assert.Equal(("src/C.cs", FileAction.Modified), (Assert.Single(c.Files).Path, c.Files[0].Action));
        Assert.Null(c.Files[0].Validation);
        Assert.Equal(["a.md", null, "c.md"], written.Select(r => r?.Spec));
    }

    [Fact]
    public void AResultWithoutAJournalRun_IsNotKept()
    {
        var written = new WrittenSpecs(2);
        written.Add(1, Result("dry.md", null, File("src/D.cs", FileAction.Created)));

        Assert.False(written.Any);
        Assert.Equal([null, null], written);
    }

    [Theory]
    [InlineData("20261207T180102123Z-0a1b2c")] // the journal's form, kept as two numbers
    [InlineData("00010101T000000000Z-000000")]
    [InlineData("99991231T235959999Z-ffffff")]
    [InlineData("20261207T180102123Z-0A1B2C")] // any other id is kept as it was
    [InlineData("20261207T180102123Z-0a1b2")]
    [InlineData("2026120xT180102123Z-0a1b2c")]
    [InlineData("run-a")]
    [InlineData("")]
    public void AJournalRunId_IsReadBack_AsItWasGiven(string run)
    {
        var written = new WrittenSpecs(1);
        written.Add(0, Result("a.md", run, File("src/A.cs", FileAction.Created)));

        Assert.Equal(run, written[0]!.JournalRun);
    }

    [Fact]
    public void SpecsOfOneProviderModelAndFolder_ShareThem_AndOthersKeepTheirOwn_WithTheirUsageAndConversation()
    {
        var written = new WrittenSpecs(3);
        written.Add(0, Result("a.md", "run-a", File("src/A.cs", FileAction.Created)));
        written.Add(1, Result("b.md", "run-b", File("src/B.cs", FileAction.Created)) with
        {
            Model = new string("gpt-x".AsSpan()), // an equal string of its own, as each reply's model name is
            Usage = new GenerateUsage(1, 2, 3, 4),
            CostUsd = 1.5m,
            ConversationId = null,
        });
        written.Add(2, Result("c.md", "run-c", File("src/C.cs", FileAction.Created)) with { Model = "gpt-y", OutputRoot = "/other" });

        var (a, b, c) = (written[0]!, written[1]!, written[2]!);
        Assert.Same(a.Model, b.Model);
        Assert.Equal((new GenerateUsage(1, 2, 3, 4), 1.5m, (long?)null), (b.Usage, b.CostUsd, b.ConversationId));
        Assert.Equal(("openai", "gpt-y", "/other", 7L), (c.Provider, c.Model, c.OutputRoot, c.ConversationId));
        Assert.Equal(("gpt-x", "/out"), (a.Model, a.OutputRoot));
    }

    [Fact]
    public void SpecsWrittenAtOnce_AcrossManyChunks_AreAllReadBack_AndTheOthersAreNot()
    {
        // 2.5 chunks, the last one short; every third spec written, from many tasks at once.
        var specs = (WrittenSpecs.ChunkSlots * 2) + (WrittenSpecs.ChunkSlots / 2);
        var written = new WrittenSpecs(specs);

        Parallel.For(0, specs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 3 == 0)
            {
                written.Add(i, Result($"s{i}.md", $"run-{i}", File($"src/{i}.cs", FileAction.Created)));
            }
        });

        Assert.Equal(specs, written.Count);
        Assert.Equal(Enumerable.Range(0, specs).Select(i => i % 3 == 0 ? $"s{i}.md|run-{i}|src/{i}.cs" : null),
            written.Select(r => r is null ? null : $"{r.Spec}|{r.JournalRun}|{Assert.Single(r.Files).Path}"));
        Assert.Throws<ArgumentOutOfRangeException>(() => written[specs]);
        Assert.Throws<ArgumentOutOfRangeException>(() => written.Add(specs, Result("x.md", "run-x", File("x.cs", FileAction.Created))));
    }

    [Fact]
    public void ARunWithNothingWrittenYet_HoldsNoSlot_AndOneWrittenSpec_OneChunk()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = new WrittenSpecs(10_000);
        var made = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(made, 1, 1_024); // 40 chunk references, not 10,000 slots of 112 bytes
        Assert.False(written.Any);
        Assert.All(written, Assert.Null);
        var result = Result("a.md", "20261207T180102123Z-0a1b2c", File("src/A.cs", FileAction.Created));
        before = GC.GetAllocatedBytesForCurrentThread();
        written.Add(9_999, result);
        // The last chunk (16 slots) and the trimmed file: far below one chunk of 256 slots, let alone 10,000.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 1, 8_192);
        Assert.Equal("a.md", written[9_999]!.Spec);
    }

    private static GenerateFileResult File(string path, FileAction action) =>
        new(path, action, false, 10, "csharp", new GenerateFileValidation(ValidationStatus.Valid, "roslyn", ["a diagnostic"]));

    private static GenerateResult Result(string spec, string? run, params GenerateFileResult[] files) => new()
    {
        Spec = spec,
        Status = run is null ? GenerateStatus.DryRun : GenerateStatus.Written,
        Provider = "openai",
        Model = "gpt-x",
        Usage = new GenerateUsage(5, 6, 0, 0),
        CostUsd = 0.25m,
        OutputRoot = "/out",
        Files = files,
        Repair = new GenerateRepair(true, 1, [new GenerateRepairRound(0, [], ["d"], null, [])]),
        JournalRun = run,
        ConversationId = 7,
        Explanation = "why",
        Diff = "diff",
        PlannedFiles = [new PlannedFileContent("src/A.cs", "content", null)],
    };
}
