using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class JournalLookupTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Committed_ListsTheCommittedEntriesOfOnePathInOneFolder_NewestFirst()
    {
        var lookup = new JournalLookup(
        [
            Run("r4", "/out", JournalRunStatus.Pending, new JournalFile("a.txt", FileAction.Modified, "h4")),
            Run("r3", "/out/", JournalRunStatus.Committed, new JournalFile("a.txt", FileAction.Modified, "h3")),
            Run("r2", "/elsewhere", JournalRunStatus.Committed, new JournalFile("a.txt", FileAction.Created, "h2")),
            Run("r1", "/out", JournalRunStatus.Committed, new JournalFile("a.txt", FileAction.Created, "h1"), new JournalFile("b.txt", FileAction.Created, "hb")),
        ]);

        Assert.Equal(["h3", "h1"], lookup.Committed("/out", "a.txt").Select(f => f.Sha256));
        Assert.Equal(["hb"], lookup.Committed("/out/", "b.txt").Select(f => f.Sha256));
        Assert.Empty(lookup.Committed("/out", "c.txt"));
        Assert.Equal(["h2"], lookup.Committed("/elsewhere", "a.txt").Select(f => f.Sha256));
    }

    [Fact]
    public void Written_IsTheNewestCommittedHashPerPath_AndIsBuiltOncePerFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "specsynth-lookup-" + Guid.NewGuid().ToString("N"));
        var lookup = new JournalLookup(
        [
            Run("r2", root, JournalRunStatus.Committed, new JournalFile("a.txt", FileAction.Modified, "new")),
            Run("r1", root, JournalRunStatus.Committed, new JournalFile("a.txt", FileAction.Created, "old")),
        ]);

        Assert.Equal("new", lookup.Written(root)["a.txt"]);
        Assert.Null(lookup.Written(root)["b.txt"]);
        Assert.Same(lookup.Written(root), lookup.Written(root + Path.DirectorySeparatorChar));
    }

    private static JournalRun Run(string id, string root, JournalRunStatus status, params JournalFile[] files) => new(id, At, root, status, files);
}
