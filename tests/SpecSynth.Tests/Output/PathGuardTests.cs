using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class PathGuardTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Root => _dir.Combine("out");

    public PathGuardTests()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "existing.txt"), "keep me\n");
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> UnsafePaths() => new()
    {
        // empty
        "", " ", "\t",
        // absolute, Unix and Windows
        "/etc/passwd", "/x", "C:\\x", "C:x", "c:/x", "\\\\server\\share\\x", "//x", "\\x", "\\\\?\\C:\\x",
        // climbing out
        "..", "../x", "a/../../b", "a/..", "a/b/../../../c", "a/../b", "..\\x", "a\\..\\..\\b", "x/..\\..",
        // percent-encoded dots, slashes and backslashes (also double-encoded)
        "%2e%2e/x", "..%2fx", "%2e%2e%2fetc", "a%5c..%5cb", "%252e%252e/x", "a/%2E%2E/b", "file%2etxt", "%c0%ae%c0%ae/x",
        // NUL and control characters
        "x\0.cs", "a/b\u0001c", "a\nb", "a\u007f", "a\u0085b",
        // version control and specsynth state
        ".git/config", ".GIT/hooks/x", "a/.git/HEAD", ".Git", "GIT~1/config", ".specsynth/x", "specsynth.toml", "sub/SpecSynth.TOML", "a/.specsynth-tmp-0123",
        // Windows device names, with or without extension, any case, any segment
        "CON", "con.txt", "aux/x", "LPT1", "com9.log", "nul", "a/prn.c", "Lpt3.tar.gz", "conin$",
        // trailing dot or space, reserved characters
        "file.", "dir./x", "file ", "dir /x", "...", "a<b", "a>b", "a:b", "file.txt:stream", "a|b", "a?b", "a*b", "a\"b",
        // home folder, folder-only paths, too long
        "~", "~/x", "~root/.ssh/keys", "a/", ".", "./", "a/b/",
        new string('a', 256), string.Join('/', Enumerable.Repeat(new string('d', 200), 21)),
    };

    [Theory]
    [MemberData(nameof(UnsafePaths))]
    public void UnsafePath_IsRefusedAsUnusableOutput_AndNothingIsWritten(string path)
    {
        var before = FolderSnapshot.Take(_dir.Path);

        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(Root, path));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("Refusing to write '", ex.Message, StringComparison.Ordinal);

        var batch = new[] { new GeneratedFile("good/first.cs", "ok\n", "csharp"), new GeneratedFile(path, "evil\n", null) };
        var planEx = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(Root, batch));
        Assert.Equal(ErrorKind.UnusableOutput, planEx.Kind);
        Assert.Equal(before, FolderSnapshot.Take(_dir.Path));
    }

    [Theory]
    [InlineData("src/a.cs", "src/a.cs")]
    [InlineData("src\\Sub\\a.cs", "src/Sub/a.cs")]
    [InlineData("./src//a.cs", "src/a.cs")]
    [InlineData("a/./b.txt", "a/b.txt")]
    [InlineData(".gitignore", ".gitignore")]
    [InlineData(".github/workflows/ci.yml", ".github/workflows/ci.yml")]
    [InlineData("console.cs", "console.cs")]
    [InlineData("COM10.txt", "COM10.txt")]
    [InlineData("a/b..c.txt", "a/b..c.txt")]
    [InlineData("100%.txt", "100%.txt")]
    [InlineData("a%20b.txt", "a%20b.txt")]
    [InlineData("docs/~draft.md", "docs/~draft.md")]
    [InlineData("über/straße.cs", "über/straße.cs")]
    [InlineData("..a/b..c", "..a/b..c")]
    public void SafePath_IsNormalisedWithForwardSlashes(string path, string expected)
    {
        Assert.Equal(expected, PathGuard.Confine(Root, path));
    }

    [Fact]
    public void Refusal_NamesThePathAndTheReason()
    {
        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(Root, "src/../../etc/passwd"));

        Assert.Contains("'src/../../etc/passwd'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'..'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_ShowsControlCharactersEscaped()
    {
        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(Root, "a\0b"));

        Assert.Contains("a\\u0000b", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaximumLengths_AreAllowed()
    {
        var segment = new string('s', 255);

        Assert.Equal(segment, PathGuard.Confine(Root, segment));
    }

    [Fact]
    public void OutputRootThatDoesNotExistYet_IsFine()
    {
        Assert.Equal("a/b.cs", PathGuard.Confine(_dir.Combine("not", "yet"), "a/b.cs"));
    }
}
