using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class WriteJournalTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));
    private readonly WriteJournal _journal;

    public WriteJournalTests() => _journal = new WriteJournal(_dir.Combine("state"), _time);

    private string Root => _dir.Combine("out");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Manifest_RecordsRunFilesHashesAndBackups()
    {
        _dir.Write("out/mod.txt", "before\r\n");

        var runId = await WriteAsync(("mod.txt", "after\n"), ("new/a.cs", "a\n"));

        Assert.StartsWith("20261125T103000000Z-", runId, StringComparison.Ordinal);
        var folder = Path.Combine(_journal.JournalDirectory, runId!);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var root = manifest.RootElement;
        Assert.Equal(runId, root.GetProperty("runId").GetString());
        Assert.Equal("committed", root.GetProperty("status").GetString());
        Assert.Equal(_time.GetUtcNow(), root.GetProperty("createdUtc").GetDateTimeOffset());
        Assert.Equal(RealPath.Resolve(Root), root.GetProperty("outputRoot").GetString());
        Assert.Equal(["new"], root.GetProperty("createdDirectories").EnumerateArray().Select(e => e.GetString()));
        var files = root.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(["mod.txt", "new/a.cs"], files.Select(f => f.GetProperty("path").GetString()));
        Assert.Equal(["modified", "created"], files.Select(f => f.GetProperty("action").GetString()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("after\n"u8)), files[0].GetProperty("sha256").GetString());
        var backup = files[0].GetProperty("backup").GetString()!;
        Assert.Equal("before\r\n"u8.ToArray(), File.ReadAllBytes(Path.Combine(folder, "backup", backup)));
        Assert.Equal(JsonValueKind.Null, files[1].GetProperty("backup").ValueKind);
    }

    [Fact]
    public async Task Undo_RestoresExactBytes_AfterCreateAndModify()
    {
        _dir.Write("out/keep/mod.bin", "line1\r\nline2\n\u00e9");
        var before = FolderSnapshot.Take(Root);
        var written = await WriteAsync(("keep/mod.bin", "other\n"), ("new/deeper/a.cs", "a\n"), ("top.txt", "t"));

        var undo = await _journal.UndoLastAsync();

        Assert.Equal(written, undo.RunId);
        Assert.Equal(["new/deeper/a.cs", "top.txt"], undo.DeletedFiles);
        Assert.Equal(["keep/mod.bin"], undo.RestoredFiles);
        Assert.Equal(["new/deeper", "new"], undo.RemovedFolders);
        Assert.Equal(before, FolderSnapshot.Take(Root));
        Assert.Equal(JournalRunStatus.Undone, Assert.Single(await _journal.ListAsync()).Status);
    }

    [Fact]
    public async Task Undo_RemovesAnOutputFolderTheRunCreated()
    {
        await WriteAsync(("a/b.txt", "b\n"), ("c.txt", "c\n"));

        var undo = await _journal.UndoLastAsync();

        Assert.Equal(["a", "."], undo.RemovedFolders);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task WriteAndUndo_KeepAnExecutableScriptExecutable()
    {
        var script = _dir.Write("out/build.sh", "#!/bin/sh\necho old\n");
        const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(script, Executable);

        await WriteAsync(("build.sh", "#!/bin/sh\necho new\n"));
        Assert.Equal(Executable, File.GetUnixFileMode(script));
        await _journal.UndoLastAsync();

        Assert.Equal(Executable, File.GetUnixFileMode(script));
        Assert.Equal("#!/bin/sh\necho old\n", File.ReadAllText(script));
    }

    [Fact]
    public async Task UndoTwice_UndoesThePreviousRunToo_ThenReportsNothingLeft()
    {
        var first = await WriteAsync(("a.txt", "1\n"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await WriteAsync(("a.txt", "2\n"), ("b.txt", "b\n"));

        var undoSecond = await _journal.UndoLastAsync();
        Assert.Equal("1\n", File.ReadAllText(Path.Combine(Root, "a.txt")));
        Assert.False(File.Exists(Path.Combine(Root, "b.txt")));
        var undoFirst = await _journal.UndoLastAsync();

        Assert.Equal(second, undoSecond.RunId);
        Assert.Equal(first, undoFirst.RunId);
        Assert.False(File.Exists(Path.Combine(Root, "a.txt")));
        var nothing = await Assert.ThrowsAsync<SpecSynthException>(() => _journal.UndoLastAsync());
        Assert.Equal(ErrorKind.InvalidInput, nothing.Kind);
        Assert.Contains("Nothing to undo", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ReturnsRunsNewestFirst_EvenWithinTheSameInstant()
    {
        var first = await WriteAsync(("a.txt", "1\n"));
        var second = await WriteAsync(("a.txt", "2\n"));

        var runs = await _journal.ListAsync();

        Assert.Equal([second, first], runs.Select(r => r.RunId));
        Assert.Equal([FileAction.Modified], runs[0].Files.Select(f => f.Action));
        Assert.Equal([FileAction.Created], runs[1].Files.Select(f => f.Action));
    }

    [Fact]
    public async Task Undo_RefusesWhenACreatedFileWasEditedSince_AndTouchesNothing()
    {
        _dir.Write("out/mod.txt", "old\n");
        await WriteAsync(("mod.txt", "new\n"), ("created.cs", "generated\n"));
        File.WriteAllText(Path.Combine(Root, "created.cs"), "generated\n// my edit\n");
        var before = FolderSnapshot.Take(Root);

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => _journal.UndoLastAsync());

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("'created.cs' changed since", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(Root));
        Assert.Equal(JournalRunStatus.Committed, Assert.Single(await _journal.ListAsync()).Status);
    }

    [Fact]
    public async Task ForcedUndo_DiscardsLaterEdits()
    {
        _dir.Write("out/mod.txt", "old\n");
        await WriteAsync(("mod.txt", "new\n"), ("created.cs", "generated\n"));
        File.WriteAllText(Path.Combine(Root, "created.cs"), "edited\n");
        File.WriteAllText(Path.Combine(Root, "mod.txt"), "edited\n");

        var undo = await _journal.UndoLastAsync(force: true);

        Assert.Equal(["created.cs"], undo.DeletedFiles);
        Assert.False(File.Exists(Path.Combine(Root, "created.cs")));
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(Root, "mod.txt")));
    }

    [Fact]
    public async Task Undo_OfARunThatCrashedHalfWay_RestoresWhatWasWrittenAndSkipsTheRest()
    {
        _dir.Write("out/one.txt", "old one\n");
        _dir.Write("out/two.txt", "old two\n");
        var before = FolderSnapshot.Take(Root);
        var plan = OutputPlan.Create(Root, [new("one.txt", "new one\n", null), new("two.txt", "new two\n", null), new("sub/three.txt", "3\n", null)]);
        await _journal.BeginAsync(plan, [Path.Combine(plan.RealRoot, "sub")], CancellationToken.None);
        File.WriteAllText(Path.Combine(Root, "one.txt"), "new one\n");

        Assert.Equal(JournalRunStatus.Pending, Assert.Single(await _journal.ListAsync()).Status);
        var undo = await _journal.UndoLastAsync();

        Assert.Equal(["one.txt"], undo.RestoredFiles);
        Assert.Empty(undo.DeletedFiles);
        Assert.Equal(before, FolderSnapshot.Take(Root));
    }

    [Fact]
    public async Task CorruptManifest_IsSkippedWithOneWarning_AndOtherRunsStillWork()
    {
        var warnings = new List<string>();
        var journal = new WriteJournal(_dir.Combine("state"), _time) { OnWarning = warnings.Add };
        var folder = Path.Combine(journal.JournalDirectory, "broken");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), "{ not json");
        var nulls = Path.Combine(journal.JournalDirectory, "nulls");
        Directory.CreateDirectory(nulls);
        await File.WriteAllTextAsync(Path.Combine(nulls, "manifest.json"), """{"runId":"nulls","status":"committed","outputRoot":"/x","files":null}""");

        Assert.Empty(await journal.ListAsync());
        var plan = OutputPlan.Create(Root, [new GeneratedFile("a.txt", "a\n", null)]);
        var runId = await new SafeFileWriter(journal).WriteAsync(plan);
        var undo = await journal.UndoLastAsync();

        Assert.Equal(runId, undo.RunId);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains(Path.Combine(folder, "manifest.json"), StringComparison.Ordinal) && w.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Undo_WhenTheOutputFolderIsGone_Refuses_AndKeepsTheRun()
    {
        await WriteAsync(("a.txt", "a\n"));
        Directory.Move(Root, Root + "-moved");

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => _journal.UndoLastAsync(force: true));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("no longer exists", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
        Assert.Equal(JournalRunStatus.Committed, Assert.Single(await _journal.ListAsync()).Status);
    }

    [Fact]
    public async Task TempFilesOfAKilledWriter_AreRemovedByTheNextRunAndByUndo()
    {
        _dir.Write("out/keep.txt", "mine\n");
        var plan = OutputPlan.Create(Root, [new GeneratedFile("sub/a.txt", "a\n", null), new GeneratedFile("b.txt", "b\n", null)]);
        var runId = await _journal.BeginAsync(plan, [Path.Combine(plan.RealRoot, "sub")], CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        var strays = new[] { Path.Combine(Root, ".specsynth-tmp-1"), Path.Combine(Root, "sub", ".specsynth-tmp-2") };
        foreach (var stray in strays)
        {
            await File.WriteAllTextAsync(stray, "half");
        }
        // While the writer lives its temporary files are its own.
        await WriteAsync(("other/c.txt", "c\n"));
        Assert.All(strays, s => Assert.True(File.Exists(s)));

        SetWriter(runId, DeadPid());
        await WriteAsync(("other/d.txt", "d\n"));
        Assert.All(strays, s => Assert.False(File.Exists(s)));
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(Root, "keep.txt")));

        await File.WriteAllTextAsync(strays[0], "half");
        await _journal.UndoLastAsync();
        Assert.False(File.Exists(strays[0]));
    }

    private void SetWriter(string runId, int pid)
    {
        var path = Path.Combine(_journal.JournalDirectory, runId, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        manifest["writerPid"] = pid;
        File.WriteAllText(path, manifest.ToJsonString());
    }

    /// <summary>The id of a process that has exited (and been reaped).</summary>
    private static int DeadPid()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public async Task Sequence_CountsRunsAnotherJournalWroteMeanwhile()
    {
        // One journal keeps counting in memory (issue 19: no re-read of every manifest per run), but a run another writer
        // added in between is seen, so the runs stay in order even when they share one instant.
        var other = new WriteJournal(_dir.Combine("state"), _time);
        var first = await WriteAsync(("a.txt", "1\n"));
        var second = await new SafeFileWriter(other).WriteAsync(OutputPlan.Create(Root, [new GeneratedFile("a.txt", "2\n", null)]));
        var third = await WriteAsync(("a.txt", "3\n"));
        var fourth = await WriteAsync(("a.txt", "4\n"));

        Assert.Equal([4L, 3L, 2L, 1L], new[] { fourth, third, second, first }.Select(id => Sequence(id!)));
        Assert.Equal([fourth, third, second, first], (await _journal.ListAsync()).Select(r => r.RunId));
    }

    private long Sequence(string runId) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_journal.JournalDirectory, runId, "manifest.json")))!["sequence"]!
            .GetValue<long>();

    [Fact]
    public async Task Commit_OverwritesOnlyTheStatusInPlace_AndEveryStateOfTheFileIsAReadableManifest()
    {
        // Issue 19: a run is committed by overwriting its padded pending status in place (no third file, fsync and rename
        // per write). The file before and after differs in those bytes only, and both are whole manifests.
        var plan = OutputPlan.Create(Root, [new GeneratedFile("a.txt", "a\n", null)]);
        var runId = await _journal.BeginAsync(plan, [], CancellationToken.None);
        var path = Path.Combine(_journal.JournalDirectory, runId, "manifest.json");
        var pending = File.ReadAllBytes(path);
        Assert.StartsWith("{\n  \"status\": \"pending\"  ,", System.Text.Encoding.UTF8.GetString(pending).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(JournalRunStatus.Pending, Assert.Single(await new WriteJournal(_dir.Combine("state"), _time).ListAsync()).Status);

        await _journal.SetStatusAsync(runId, JournalRunStatus.Committed, CancellationToken.None);

        var committed = File.ReadAllBytes(path);
        Assert.Equal(pending.Length, committed.Length);
        var differing = Enumerable.Range(0, pending.Length).Where(i => pending[i] != committed[i]).ToList();
        Assert.InRange(differing.Count, 1, 11);
        Assert.InRange(differing[^1] - differing[0], 0, 10);
        Assert.Equal(JournalRunStatus.Committed, Assert.Single(await new WriteJournal(_dir.Combine("state"), _time).ListAsync()).Status);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, PathRules.TempPrefix + "*"));
    }

    [Fact]
    public async Task Commit_OfAManifestRewrittenMeanwhile_RewritesItWhole()
    {
        var plan = OutputPlan.Create(Root, [new GeneratedFile("a.txt", "a\n", null)]);
        var runId = await _journal.BeginAsync(plan, [], CancellationToken.None);
        SetWriter(runId, Environment.ProcessId); // compact JSON: the padded status is no longer at its offset

        await _journal.SetStatusAsync(runId, JournalRunStatus.Committed, CancellationToken.None);

        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_journal.JournalDirectory, runId, "manifest.json")))!;
        Assert.Equal("committed", manifest["status"]!.GetValue<string>());
        Assert.Equal("a.txt", manifest["files"]![0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task EmptyJournal_HasNothingToUndo_AndSaysSo()
    {
        Assert.Empty(await _journal.ListAsync());
        await Assert.ThrowsAsync<SpecSynthException>(() => _journal.UndoLastAsync());
    }

    private Task<string?> WriteAsync(params (string Path, string Content)[] files)
    {
        var plan = OutputPlan.Create(Root, [.. files.Select(f => new GeneratedFile(f.Path, f.Content, null))]);
        return new SafeFileWriter(_journal).WriteAsync(plan);
    }
}
