using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

/// <summary>Names that look like other names: invisible and direction-changing characters, two spellings of one name.</summary>
public sealed class DeceptiveNamesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("report\u202Etxt.exe", "202E")] // RIGHT-TO-LEFT OVERRIDE: shows as reportexe.txt
    [InlineData("src/\u200BProgram.cs", "200B")] // ZERO WIDTH SPACE: a second, invisible Program.cs
    [InlineData("src/Program\u200D.cs", "200D")]
    [InlineData("\uFEFFProgram.cs", "FEFF")] // BOM
    [InlineData("src/a\u2066b.cs", "2066")] // bidi isolate
    [InlineData("src/a\u00A0b.cs", "00A0")] // no-break space
    [InlineData("src/a\u2028b.cs", "2028")]
    [InlineData("src/a\U000E0041.cs", "E0041")] // a tag character, outside the BMP
    public void InvisibleOrBidiCharacters_AreRefused(string path, string codePoint)
    {
        var ex = Assert.Throws<SpecSynthException>(() => PathGuard.Confine(_dir.Path, path));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("U+" + codePoint, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecomposedNames_AreWrittenComposed()
    {
        Assert.Equal("docs/r\u00e9sum\u00e9.md", PathGuard.Confine(_dir.Path, "docs/re\u0301sume\u0301.md"));
        Assert.Equal("\ud55c\uae00.txt", PathGuard.Confine(_dir.Path, "\u1112\u1161\u11AB\u1100\u1173\u11AF.txt"));
    }

    [Fact]
    public void TwoSpellingsOfOneName_CollideLikeACaseClash()
    {
        GeneratedFile[] batch = [new("caf\u00e9.cs", "a\n", "csharp"), new("cafe\u0301.cs", "b\n", "csharp")];

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, batch));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("collides", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void ADecomposedNameOfAnExistingComposedFile_ModifiesThatFile()
    {
        _dir.Write("caf\u00e9.cs", "old\n");

        var plan = OutputPlan.Create(_dir.Path, [new GeneratedFile("cafe\u0301.cs", "new\n", "csharp")]);

        var file = Assert.Single(plan.Files);
        Assert.Equal("caf\u00e9.cs", file.Path);
        Assert.Equal(FileAction.Modified, file.Action);
    }
}
