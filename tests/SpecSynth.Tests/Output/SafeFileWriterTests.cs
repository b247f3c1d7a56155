using Microsoft.Extensions.Time.Testing;
using SpecSynth.Llm;
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
        var plan = new OutputPlan(Root, [new("src/deep/er/A.cs", "class A {}\r\n", "csharp"), new("README.md", "# é\nno newline", null)]);

        var result = await new SafeFileWriter(_journal).ApplyAsync(plan);

        Assert.Equal("class A {}\r\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(Root, "src", "deep", "er", "A.cs")));
        Assert.Equal("# \u00e9\nno newline"u8.ToArray(), File.ReadAllBytes(Path.Combine(Root, "README.md")));
        Assert.Equal(["src/deep/er/A.cs", "README.md"], result.Created);
        Assert.NotNull(result.RunId);
        Assert.Empty(FolderSnapshot.TempFiles(_dir.Path));
    }

    [Fact]
    public async Task ModifiesExistingFiles_AndLeavesUnchangedOnesUntouched()
    {
        var same = _dir.Write("out/same.txt", "same\n");
        _dir.Write("out/mod.txt", "old\n");
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(same, stamp);
        var plan = new OutputPlan(Root, [new("same.txt", "same\n", null), new("mod.txt", "new\n", null)]);

        var result = await new SafeFileWriter(_journal).ApplyAsync(plan);

        Assert.Equal("new\n", File.ReadAllText(Path.Combine(Root, "mod.txt")));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(same));
        Assert.Equal(["mod.txt"], result.Modified);
        Assert.Equal(["same.txt"], result.Unchanged);
    }

    [Fact]
    public async Task NothingToChange_WritesNothing_AndRecordsNoRun()
    {
        _dir.Write("out/same.txt", "same\n");
        var plan = new OutputPlan(Root, [new("same.txt", "same\n", null)]);

        var result = await new SafeFileWriter(_journal).ApplyAsync(plan);

        Assert.Null(result.RunId);
        Assert.Empty(await _journal.ListAsync());
    }

    [Fact]
    public async Task FailureMidBatch_RollsBackEveryEarlierFile_ExactlyAndLeavesNoTrace()
    {
        _dir.Write("out/existing/mod.txt", "old\r\nbytes\n");
        var before = FolderSnapshot.Take(_dir.Combine("out"));
        var plan = new OutputPlan(Root, [new("new/deep/a.cs", "a\n", null), new("existing/mod.txt", "changed\n", null), new("z/fails.cs", "z\n", null)]);
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

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => writer.ApplyAsync(plan));

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
        var plan = new OutputPlan(Root, [new("a.txt", "a\n", null), new("mod.txt", "new\n", null), new("sub/c.txt", "c\n", null)]);
        Directory.CreateDirectory(Path.Combine(Root, "sub", "c.txt"));
        var before = FolderSnapshot.Take(_dir.Combine("out"));

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => new SafeFileWriter(_journal).ApplyAsync(plan));

        Assert.Contains("'sub/c.txt' changed on disk", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(_dir.Combine("out")));
        Assert.Empty(FolderSnapshot.TempFiles(_dir.Path));
    }

    [Fact]
    public async Task CreatedOutputFolder_IsRemovedOnRollback()
    {
        var plan = new OutputPlan(Root, [new("a/one.txt", "1\n", null), new("b/two.txt", "2\n", null)]);
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

        await Assert.ThrowsAsync<SpecSynthException>(() => writer.ApplyAsync(plan));

        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task Cancellation_MidBatch_RollsBack_AndThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var plan = new OutputPlan(Root, [new("one.txt", "1\n", null), new("two.txt", "2\n", null)]);
        var writer = new SafeFileWriter(_journal) { BeforeReplace = _ => cts.Cancel() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.ApplyAsync(plan, cts.Token));

        Assert.Empty(FolderSnapshot.Take(Root));
        Assert.Empty(await _journal.ListAsync());
    }

    [Fact]
    public async Task Journal_IsPendingBeforeTheFirstFileIsTouched_AndCommittedAfter()
    {
        var plan = new OutputPlan(Root, [new("one.txt", "1\n", null)]);
        var manifestsDuringWrite = new List<string>();
        var writer = new SafeFileWriter(_journal)
        {
            BeforeReplace = _ =>
            {
                Assert.False(File.Exists(Path.Combine(Root, "one.txt")));
                manifestsDuringWrite.AddRange(Directory.GetFiles(_journal.JournalDirectory, "manifest.json", SearchOption.AllDirectories).Select(File.ReadAllText));
            },
        };

        var result = await writer.ApplyAsync(plan);

        Assert.Contains("\"status\": \"pending\"", Assert.Single(manifestsDuringWrite), StringComparison.Ordinal);
        var run = Assert.Single(await _journal.ListAsync());
        Assert.Equal(result.RunId, run.RunId);
        Assert.Equal(JournalRunStatus.Committed, run.Status);
    }

    [Fact]
    public async Task WithoutAJournal_WritesAndReturnsNoRunId()
    {
        var plan = new OutputPlan(Root, [new("one.txt", "1\n", null)]);

        var result = await new SafeFileWriter().ApplyAsync(plan);

        Assert.Null(result.RunId);
        Assert.Equal("1\n", File.ReadAllText(Path.Combine(Root, "one.txt")));
    }
}
