using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class SymlinkConfinementTests : IDisposable
{
    private readonly TempDir _dir = new();

    public SymlinkConfinementTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "secret\n");
    }

    private string Root => _dir.Combine("out");

    private string Outside => _dir.Combine("outside");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("link/x.cs")]
    [InlineData("link/deeper/x.cs")]
    [InlineData("link")]
    public void FolderLinkPointingOutside_IsRefused_AndNothingIsWritten(string path)
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "link"), Outside);

        AssertRefusedAndNothingWritten(path, "symbolic link");
    }

    [Fact]
    public void RelativeLinkClimbingOut_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "sub", "up"), "../../outside");

        AssertRefusedAndNothingWritten("sub/up/x.cs", "outside the output folder");
    }

    [Fact]
    public void TargetFileThatIsALinkToOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "config.json"), Path.Combine(Outside, "secret.txt"));

        AssertRefusedAndNothingWritten("config.json", "symbolic link");
        Assert.Equal("secret\n", File.ReadAllText(Path.Combine(Outside, "secret.txt")));
    }

    [Fact]
    public void DanglingLinkToOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "gone"), Path.Combine(Outside, "not-there"));

        AssertRefusedAndNothingWritten("gone/x.cs", "symbolic link");
    }

    [Fact]
    public void ChainOfLinksEndingOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "second"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Root, "first"), Path.Combine(Root, "second"));

        AssertRefusedAndNothingWritten("first/x.cs", "symbolic link");
    }

    [Fact]
    public void LinkLoop_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "a"), Path.Combine(Root, "b"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "b"), Path.Combine(Root, "a"));

        AssertRefusedAndNothingWritten("a/x.cs", "loop");
    }

    [Fact]
    public void LinkToTheOutputFolderItself_IsRefusedAsAFileName()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "self"), Root);

        AssertRefusedAndNothingWritten("self", "output folder itself");
        Assert.Equal("self/x.cs", PathGuard.Confine(Root, "self/x.cs"));
    }

    [Fact]
    public void FolderLinkPointingInside_IsAllowed_AndThePlanWritesTheRealPath()
    {
        Directory.CreateDirectory(Path.Combine(Root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "link"), Path.Combine(Root, "real"));

        Assert.Equal("link/x.cs", PathGuard.Confine(Root, "link/x.cs"));
        var plan = OutputPlan.Create(Root, [new GeneratedFile("link/x.cs", "x\n", null)]);

        Assert.Equal(Path.Combine(RealRoot(), "real", "x.cs"), plan.Files[0].FullPath);
    }

    [Fact]
    public void OutputFolderThatIsItselfALink_IsFine()
    {
        var linkedRoot = _dir.Combine("root-link");
        Directory.CreateSymbolicLink(linkedRoot, Root);

        Assert.Equal("a/b.cs", PathGuard.Confine(linkedRoot, "a/b.cs"));
    }

    [Fact]
    public void OutputFolderInALinkLoop_IsInvalidInput()
    {
        Directory.CreateSymbolicLink(_dir.Combine("loop1"), _dir.Combine("loop2"));
        Directory.CreateSymbolicLink(_dir.Combine("loop2"), _dir.Combine("loop1"));

        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(_dir.Combine("loop1", "out"), "a.cs"));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public void LinkAndRealPathToTheSameFile_CollideInOnePlan()
    {
        Directory.CreateDirectory(Path.Combine(Root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "link"), Path.Combine(Root, "real"));
        GeneratedFile[] batch = [new("real/x.cs", "one\n", null), new("link/x.cs", "two\n", null)];

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(Root, batch));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("collides", ex.Message, StringComparison.Ordinal);
    }

    private string RealRoot() => RealPath.Resolve(Root);

    private void AssertRefusedAndNothingWritten(string path, string reason)
    {
        var before = FolderSnapshot.Take(_dir.Path);

        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(Root, path));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        var planEx = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(Root, [new GeneratedFile(path, "evil\n", null)]));
        Assert.Equal(ErrorKind.UnusableOutput, planEx.Kind);

        Assert.Equal(before, FolderSnapshot.Take(_dir.Path));
    }
}
