using System.Text;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class WrittenHashesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Edited_ComparesTheBytes_WithTheJournalsHash_AndWithThisRunsRecord()
    {
        var root = Path.Combine(Path.GetTempPath(), "specsynth-written-" + Guid.NewGuid().ToString("N"));
        var written = WrittenHashes.For(root,
        [
            new JournalRun("r2", At, root, JournalRunStatus.Committed,
                [new JournalFile("a.txt", FileAction.Modified, WriteJournal.Sha256("two"u8)), new JournalFile("odd.txt", FileAction.Created, "not-a-hash")]),
            new JournalRun("r1", At, root, JournalRunStatus.Committed, [new JournalFile("a.txt", FileAction.Created, WriteJournal.Sha256("one"u8))]),
        ]);

        Assert.Equal(WriteJournal.Sha256("two"u8), written["a.txt"]);
        Assert.False(written.Edited("a.txt", "two"u8));
        Assert.True(written.Edited("a.txt", "one"u8));
        Assert.False(written.Edited("b.txt", "anything"u8)); // never written: no local edits
        Assert.False(written.Contains("b.txt"));
        Assert.Equal("not-a-hash", written["odd.txt"]); // a hash no SHA-256 spells is kept as it was, and never matches
        Assert.True(written.Edited("odd.txt", Encoding.UTF8.GetBytes("not-a-hash")));

        written.Record("b.txt", "three"u8);
        written.Record("odd.txt", "four"u8);

        Assert.Equal(WriteJournal.Sha256("three"u8), written["b.txt"]);
        Assert.False(written.Edited("b.txt", "three"u8));
        Assert.True(written.Edited("b.txt", "two"u8));
        Assert.Equal(WriteJournal.Sha256("four"u8), written["odd.txt"]);
        Assert.False(written.Edited("odd.txt", "four"u8));
    }

    [Fact]
    public void AJournalHashInCapitals_IsKeptAsItWas_AndNeverMatches()
    {
        var root = Path.Combine(Path.GetTempPath(), "specsynth-written-" + Guid.NewGuid().ToString("N"));
        var upper = WriteJournal.Sha256("one"u8).ToUpperInvariant();
        var written = WrittenHashes.For(root, [new JournalRun("r1", At, root, JournalRunStatus.Committed, [new JournalFile("a.txt", FileAction.Created, upper)])]);

        Assert.True(written.Contains("a.txt"));
        Assert.Equal(upper, written["a.txt"]);
        Assert.True(written.Edited("a.txt", "one"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("one")]
    [InlineData("a longer text, of more than one block of sixty-four bytes, to hash as a journal does for each file it writes")]
    public void AHash_IsSpelledAsTheJournalSpellsIt_AndReadBackFromIt(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var hash = Sha256Value.Of(bytes);

        Assert.Equal(WriteJournal.Sha256(bytes), hash.ToString());
        Assert.Equal(hash, Sha256Value.TryParse(WriteJournal.Sha256(bytes)));
        Assert.Null(Sha256Value.TryParse(WriteJournal.Sha256(bytes)[1..]));
    }
}
