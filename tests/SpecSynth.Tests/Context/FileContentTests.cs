using System.Text;
using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary>The ranker's reads: the whole current file whatever size the walk saw, nothing for files it must not rank.</summary>
public sealed class FileContentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("specsynth-content-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsTheWholeFile()
    {
        var text = string.Concat(Enumerable.Range(0, 9000).Select(i => $"line {i} maxHeaderSize\n"));
        var path = Write("a.js", text);
        using var content = new FileContent();

        var bytes = content.Load(new Candidate("a.js", path, new FileInfo(path).Length, null), 1 << 20, out var unreadable, out var loaded);

        Assert.True(loaded);
        Assert.False(unreadable);
        Assert.Equal(text, Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData(-5)] // the file grew since the walk
    [InlineData(7)] // it shrank
    public void ReadsWhatIsThereWhenTheWalksSizeIsStale(int change)
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"x{i};"));
        var path = Write("b.js", text);
        using var content = new FileContent();

        var stale = new FileInfo(path).Length + change;
        var bytes = content.Load(new Candidate("b.js", path, stale, null), 1 << 20, out _, out var loaded);

        Assert.True(loaded);
        Assert.Equal(text, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void AFileThatGrewPastTheLimitIsNotRead()
    {
        var path = Write("c.js", new string('a', 5000));
        using var content = new FileContent();

        var bytes = content.Load(new Candidate("c.js", path, 100, null), 1000, out var unreadable, out var loaded);

        Assert.False(loaded);
        Assert.False(unreadable);
        Assert.True(bytes.IsEmpty);
    }

    [Fact]
    public void MissingBinaryAndInvalidFilesAreUnreadable()
    {
        var binary = Path.Combine(_dir, "d.bin");
        File.WriteAllBytes(binary, [1, 2, 0, 3]);
        var invalid = Path.Combine(_dir, "e.txt");
        File.WriteAllBytes(invalid, [(byte)'a', 0xC3, 0x28]);
        using var content = new FileContent();

        foreach (var (path, size) in new[] { (Path.Combine(_dir, "missing.js"), 10L), (binary, 4L), (invalid, 3L), (_dir, 4096L) })
        {
            content.Load(new Candidate("x", path, size, null), 1 << 20, out var unreadable, out var loaded);
            Assert.False(loaded, path);
            Assert.True(unreadable, path);
        }
    }

    [Fact]
    public void PosixReadIsTheFileOrNothing()
    {
        var path = Write("f.js", "const a = 1;\n");
        var buffer = new byte[64];
        if (!PosixFile.IsAvailable)
        {
            Assert.False(PosixFile.TryRead(path, 13, buffer, out _));
            return;
        }
        Assert.True(PosixFile.TryRead(path, 13, buffer, out var length));
        Assert.Equal("const a = 1;\n", Encoding.ASCII.GetString(buffer, 0, length));
        Assert.False(PosixFile.TryRead(path, 13, buffer.AsSpan(0, 13), out _)); // no room to see the end: read it another way
        Assert.False(PosixFile.TryRead(Path.Combine(_dir, "missing"), 13, buffer, out _));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
