using SpecSynth.Jobs;

namespace SpecSynth.Tests.Service;

/// <summary>The full paths of a many-spec run's spec files, made when read.</summary>
public sealed class SpecFilePathsTests
{
    private static readonly string WorkingDirectory = Path.Combine(Path.GetTempPath(), "specfilepaths-wd");

    [Fact]
    public void PathsThatAreFullAlready_AreTheCallersOwnStrings()
    {
        var given = new[] { Path.Combine(WorkingDirectory, "specs", "a.md"), Path.Combine(WorkingDirectory, "b.md") };

        var paths = new SpecFilePaths([.. given.Select(p => new GenerateRequest { SpecPath = p })], Full);

        Assert.Equal(2, paths.Count);
        Assert.Same(given[0], paths[0]);
        Assert.Same(given[1], paths[1]);
        Assert.All(paths.Zip(given), pair => Assert.Same(pair.Second, pair.First));
    }

    [Fact]
    public void RelativeOrUnnormalizedPaths_AreResolvedAgainstTheWorkingDirectory()
    {
        var paths = new SpecFilePaths(
            [new GenerateRequest { SpecPath = "specs/a.md" }, new GenerateRequest { SpecPath = Path.Combine(WorkingDirectory, "x", "..", "b.md") }],
            Full);

        Assert.Equal([Path.Combine(WorkingDirectory, "specs", "a.md"), Path.Combine(WorkingDirectory, "b.md")], paths);
        Assert.Equal(Path.Combine(WorkingDirectory, "b.md"), paths[1]);
    }

    [Fact]
    public void ASpecGivenAsText_IsLeftOut()
    {
        var a = Path.Combine(WorkingDirectory, "a.md");
        var paths = new SpecFilePaths(
            [new GenerateRequest { SpecPath = a }, new GenerateRequest { SpecText = "# Spec\n", SpecName = "stdin.md" }, new GenerateRequest { SpecPath = "c.md" }],
            Full);

        Assert.Equal(2, paths.Count);
        Assert.Equal([a, Path.Combine(WorkingDirectory, "c.md")], paths);
        Assert.Same(a, paths[0]);
        Assert.Equal(Path.Combine(WorkingDirectory, "c.md"), paths[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => paths[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => paths[-1]);
    }

    private static string Full(string path) => Path.GetFullPath(path, WorkingDirectory);
}
