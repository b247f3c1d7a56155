using Microsoft.Extensions.Time.Testing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class SafeFileWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly WriteJournal _journal;

    public SafeFileWriterTests()
    {
        _journal = new WriteJournal(_dir.Combine("state"), new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)));
    }

    private string Root => _dir.Combine("out");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CreatesNestedFiles_WithExactBytes_AndNoTempFiles()
    {
        var plan = OutputPlan.Create(Root, [new("src/deep/er/A.cs", "class A {}\r\n", "csharp"), new("README.md", "# é\nno newline", null)]);

        var runId = await new SafeFileWriter(_journal).WriteAsync(plan);

        Assert.Equal("class A {}\r\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(Root, "src", "deep", "er", "A.cs")));
        Assert.Equal("# \u00e9\nno newline"u8.ToArray(), File.ReadAllBytes(Path.Combine(Root, "README.md")));
        Assert.Equal([FileAction.Created, FileAction.Created], plan.Files.Select(f => f.Action));
        Assert.NotNull(runId);
        Assert.Empty(FolderSnapshot.TempFiles(_dir.Path));
    }

    [Fact]
    public async Task ModifiesExistingFiles_AndLeavesUnchangedOnesUntouched()
    {
        var same = _dir.Write("out/same.txt", "same\n");
        _dir.Write("out/mod.txt", "old\n");
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(same, stamp);
        var plan = OutputPlan.Create(Root, [new("same.txt", "same\n", null), new("mod.txt", "new\n", null)]);

        var runId = await new SafeFileWriter(_journal).WriteAsync(plan);

        Assert.Equal("new\n", File.ReadAllText(Path.Combine(Root, "mod.txt")));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(same));
        Assert.Equal(["mod.txt"], Assert.Single(await _journal.ListAsync(), r => r.RunId == runId).Files.Select(f => f.Path));
    }

    [Fact]
    public async Task NothingToChange_WritesNothing_AndRecordsNoRun()
    {
        _dir.Write("out/same.txt", "same\n");
        var plan = OutputPlan.Create(Root, [new("same.txt", "same\n", null)]);

        var runId = await new SafeFileWriter(_journal).WriteAsync(plan);

        Assert.Null(runId);
        Assert.Empty(await _journal.ListAsync());
    }

    [Fact]
    public async Task FailureMidBatch_RollsBackEveryEarlierFile_ExactlyAndLeavesNoTrace()
    {
        _dir.Write("out/existing/mod.txt", "old\r\nbytes\n");
        var before = FolderSnapshot.Take(_dir.Combine("out"));
        var plan = OutputPlan.Create(Root, [new("new/deep/a.cs", "a\n", null), new("existing/mod.txt", "changed\n", null), new("z/fails.cs", "z\n", null)]);
        var writer = new SafeFileWriter(_journal)
        {
            BeforeReplace = f =>
            {
                if (f.Path == "z/fails.cs")
                {
                    throw new IOException("disk full (simulated)");
                }
            },
        };

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => writer.WriteAsync(plan));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("disk full", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(_dir.Combine("out")));
        Assert.Equal("old\r\nbytes\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(Root, "existing", "mod.txt")));
        Assert.Empty(await _journal.ListAsync());
    }

    [Fact]
    public async Task TargetReplacedByAFolderAfterPlanning_FailsMidBatch_AndRollsBack()
    {
        _dir.Write("out/mod.txt", "old\n");
        var plan = OutputPlan.Create(Root, [new("a.txt", "a\n", null), new("mod.txt", "new\n", null), new("sub/c.txt", "c\n", null)]);
        Directory.CreateDirectory(Path.Combine(Root, "sub", "c.txt"));
        var before = FolderSnapshot.Take(_dir.Combine("out"));

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => new SafeFileWriter(_journal).WriteAsync(plan));

        Assert.Contains("'sub/c.txt' changed on disk", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(_dir.Combine("out")));
        Assert.Empty(FolderSnapshot.TempFiles(_dir.Path));
    }

    [Fact]
    public async Task CreatedOutputFolder_IsRemovedOnRollback()
    {
        var plan = OutputPlan.Create(Root, [new("a/one.txt", "1\n", null), new("b/two.txt", "2\n", null)]);
        var writer = new SafeFileWriter
        {
            BeforeReplace = f =>
            {
                if (f.Path == "b/two.txt")
                {
                    throw new UnauthorizedAccessException("denied");
                }
            },
        };

        await Assert.ThrowsAsync<SpecSynthException>(() => writer.WriteAsync(plan));

        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task Cancellation_MidBatch_RollsBack_AndThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var plan = OutputPlan.Create(Root, [new("one.txt", "1\n", null), new("two.txt", "2\n", null)]);
        var writer = new SafeFileWriter(_journal) { BeforeReplace = _ => cts.Cancel() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(plan, cts.Token));

        Assert.Empty(FolderSnapshot.Take(Root));
        Assert.Empty(await _journal.ListAsync());
    }

    [Fact]
    public async Task Journal_IsPendingBeforeTheFirstFileIsTouched_AndCommittedAfter()
    {
        var plan = OutputPlan.Create(Root, [new("one.txt", "1\n", null)]);
        var manifestsDuringWrite = new List<string>();
        var writer = new SafeFileWriter(_journal)
        {
            BeforeReplace = _ =>
            {
                Assert.False(File.Exists(Path.Combine(Root, "one.txt")));
                manifestsDuringWrite.AddRange(Directory.GetFiles(_journal.JournalDirectory, "manifest.json", SearchOption.AllDirectories).Select(File.ReadAllText));
            },
        };

        var runId = await writer.WriteAsync(plan);

        Assert.Contains("\"status\": \"pending\"", Assert.Single(manifestsDuringWrite), StringComparison.Ordinal);
        var run = Assert.Single(await _journal.ListAsync());
        Assert.Equal(runId, run.RunId);
        Assert.Equal(JournalRunStatus.Committed, run.Status);
    }

    [Fact]
    public async Task UnwritableJournal_StopsBeforeAnyFileIsTouched()
    {
        var state = _dir.Combine("broken-state");
        _dir.Write("broken-state/journal", "a file where the journal folder should be");
        var plan = OutputPlan.Create(Root, [new("one.txt", "1\n", null)]);

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => new SafeFileWriter(new WriteJournal(state, TimeProvider.System)).WriteAsync(plan));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("write journal", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task WithoutAJournal_WritesAndReturnsNoRunId()
    {
        var plan = OutputPlan.Create(Root, [new("one.txt", "1\n", null)]);

        var runId = await new SafeFileWriter().WriteAsync(plan);

        Assert.Null(runId);
        Assert.Equal("1\n", File.ReadAllText(Path.Combine(Root, "one.txt")));
    }
}
