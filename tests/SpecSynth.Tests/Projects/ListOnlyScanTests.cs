using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class ListOnlyScanTests
{
    [Fact]
    public async Task ReadContentsFalse_ListsTheTreeWithSizes_AndReadsNothing()
    {
        using var dir = new TempDir();
        dir.Write("src/a.cs", "class A {}");
        dir.Write("README.md", "# hi\n");
        dir.Write(".env", "KEY=value\n");

        var context = await new ProjectScanner(new ProjectScanOptions { ReadContents = false }).ScanAsync(dir.Path, CancellationToken.None);

        Assert.Empty(context.Files);
        Assert.Equal([".env", "README.md", "src/a.cs"], context.Tree);
        Assert.Equal(context.Tree, context.Entries.Select(e => e.RelativePath));
        Assert.Equal(10, context.Entries.Single(e => e.RelativePath == "src/a.cs").Bytes);
        Assert.Equal([".env"], context.SecretFilesSkipped);
        Assert.Equal("csharp", context.Language);
    }
}
