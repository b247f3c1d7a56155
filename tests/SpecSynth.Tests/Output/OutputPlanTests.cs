using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class OutputPlanTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void OneBadPathAmongGoodOnes_RefusesTheWholeBatch_AndListsEveryBadPath()
    {
        _dir.Write("keep.txt", "old\n");
        var before = FolderSnapshot.Take(_dir.Path);
        GeneratedFile[] batch =
        [
            new("src/a.cs", "a\n", "csharp"),
            new("../escape.cs", "x\n", "csharp"),
            new("keep.txt", "new\n", null),
            new(".git/hooks/pre-commit", "x\n", null),
        ];

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, batch));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("2 of 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'../escape.cs'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'.git/hooks/pre-commit'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, FolderSnapshot.Take(_dir.Path));
    }

    [Fact]
    public void Plan_TellsCreatedModifiedAndUnchanged_WithOldContent()
    {
        _dir.Write("same.txt", "same\n");
        _dir.Write("src/changed.cs", "old\r\n");

        var plan = OutputPlan.Create(_dir.Path, [new("same.txt", "same\n", null), new("src\\changed.cs", "new\r\n", "csharp"), new("new/file.md", "# hi\n", "markdown")]);

        Assert.Equal(["same.txt", "src/changed.cs", "new/file.md"], plan.Files.Select(f => f.Path));
        Assert.Equal([FileAction.Unchanged, FileAction.Modified, FileAction.Created], plan.Files.Select(f => f.Action));
        Assert.Equal(["same\n", "old\r\n", null], plan.Files.Select(f => f.OldContent));
        Assert.Equal(["src/changed.cs", "new/file.md"], plan.Changes.Select(f => f.Path));
        Assert.Equal("csharp", plan.Files[1].Language);
    }

    [Fact]
    public void LineEndingChangeOnly_IsAModification()
    {
        _dir.Write("a.txt", "x\n");

        var plan = OutputPlan.Create(_dir.Path, [new("a.txt", "x\r\n", null)]);

        Assert.Equal(FileAction.Modified, plan.Files[0].Action);
    }

    [Theory]
    [InlineData("a/b.cs", "a\\b.cs")]
    [InlineData("a/b.cs", "./a//b.cs")]
    [InlineData("Readme.md", "README.md")]
    [InlineData("src/A.cs", "SRC/a.cs")]
    public void PathsThatNameTheSameFile_AreRefused(string first, string second)
    {
        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new(first, "1\n", null), new(second, "2\n", null)]));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("collides", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsAlsoAFolderOfAnother_IsRefused()
    {
        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new("a/b/c.cs", "1\n", null), new("a/b", "2\n", null)]));

        Assert.Contains("both a file and the folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetThatIsAnExistingFolder_IsRefused()
    {
        Directory.CreateDirectory(_dir.Combine("src", "thing.cs"));

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new("src/thing.cs", "1\n", null)]));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("folder with that name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParentThatIsAnExistingFile_IsRefused()
    {
        _dir.Write("src", "i am a file\n");

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new("src/a/thing.cs", "1\n", null)]));

        Assert.Contains("is a file, not a folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputRootThatIsAFile_IsInvalidInput()
    {
        var file = _dir.Write("out", "x");

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(file, [new("a.cs", "1\n", null)]));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public void UnifiedDiff_OfThePlan_ShowsEveryChangeButNotUnchangedFiles()
    {
        _dir.Write("same.txt", "same\n");
        _dir.Write("mod.txt", "one\ntwo\n");

        var plan = OutputPlan.Create(_dir.Path, [new("same.txt", "same\n", null), new("mod.txt", "one\n2\n", null), new("new.txt", "hi\n", null)]);

        Assert.Equal(
            "--- a/mod.txt\n+++ b/mod.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n"
            + "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n",
            plan.ToUnifiedDiff());
    }
}
