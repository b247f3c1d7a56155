using System.Text.Json;
using SpecSynth.Jobs;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary><see cref="CheckedSpecs"/> of spec files: each kept as the stamp of the bytes checked and parsed again at its
/// turn, to the same spec; a file whose bytes changed since the check (or that went away) is refused with its own message.</summary>
public sealed class CheckedSpecsTests
{
    private const string Alpha = "\uFEFF---\ntitle: Alpha\n---\n# Alpha ü\n\nThe alpha part.\n\n## Requirements\n\n- It MUST exist.\n";

    [Fact]
    public async Task AFileReadAgain_ParsesToTheSpecChecked_FromItsPathAsGiven()
    {
        using var dir = new TempDir();
        var file = dir.Write("specs/alpha.md", Alpha);
        var (specs, checkedSpec) = await CheckAsync(dir, "specs/alpha.md");

        var atItsTurn = await specs.ReadAsync(0, CancellationToken.None);

        Assert.Equal(file, atItsTurn.SourcePath);
        Assert.Equal(Json(checkedSpec), Json(atItsTurn));
        Assert.Equal(Json(checkedSpec), Json(Assert.Single(specs.ReadAll())));
        Assert.Equal(["specs/alpha.md"], specs.Paths);
    }

    [Fact]
    public async Task TheSameBytesWrittenAgain_AreNoChange()
    {
        using var dir = new TempDir();
        dir.Write("alpha.md", Alpha);
        var (specs, checkedSpec) = await CheckAsync(dir, "alpha.md");

        dir.Write("alpha.md", Alpha);
        File.SetLastWriteTimeUtc(dir.Combine("alpha.md"), DateTime.UtcNow.AddMinutes(5));

        Assert.Equal(Json(checkedSpec), Json(await specs.ReadAsync(0, CancellationToken.None)));
    }

    [Theory]
    [InlineData("one byte, same length")]
    [InlineData("longer")]
    [InlineData("gone")]
    [InlineData("a folder")]
    public async Task AFileChangedSinceTheCheck_IsRefused_SayingItChanged(string change)
    {
        using var dir = new TempDir();
        dir.Write("alpha.md", Alpha);
        var (specs, _) = await CheckAsync(dir, "alpha.md");
        var file = dir.Combine("alpha.md");

        switch (change)
        {
            case "one byte, same length":
                dir.Write("alpha.md", Alpha.Replace("alpha part", "alpha pert", StringComparison.Ordinal));
                break;
            case "longer":
                File.AppendAllText(file, "- It MUST also be fast.\n");
                break;
            case "gone":
                File.Delete(file);
                break;
            default:
                File.Delete(file);
                Directory.CreateDirectory(file);
                break;
        }

        var ex = await Assert.ThrowsAsync<SpecSynthException>(async () => await specs.ReadAsync(0, CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.StartsWith("Specification file 'alpha.md' changed since the run started", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SpecSynthException>(() => specs.ReadAll().ToList());
    }

    [Fact]
    public async Task AReleasedFile_IsNotReadAgain()
    {
        using var dir = new TempDir();
        dir.Write("alpha.md", Alpha);
        var (specs, _) = await CheckAsync(dir, "alpha.md");

        specs.Release(0);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await specs.ReadAsync(0, CancellationToken.None));
        Assert.Equal(["alpha.md"], specs.Paths);
    }

    [Fact]
    public async Task FilesAndTexts_Mixed_EachReadAsItWasGiven()
    {
        using var dir = new TempDir();
        dir.Write("alpha.md", Alpha);
        var (specs, _) = await CheckAsync(dir, "alpha.md");
        specs.Add("stdin.md", SpecParser.Parse("# Beta\n\n- It MUST exist.\n", "stdin.md"));

        specs.Release(0);

        Assert.Equal("Beta", (await specs.ReadAsync(1, CancellationToken.None)).Title);
        Assert.Equal(["alpha.md", "stdin.md"], specs.Paths);
    }

    private static async Task<(CheckedSpecs Specs, Specification Spec)> CheckAsync(TempDir dir, string path)
    {
        var specs = new CheckedSpecs(1, p => Path.GetFullPath(p, dir.Path));
        var file = Path.GetFullPath(path, dir.Path);
        var (text, stamp) = await SpecInput.ReadFileStampedAsync(file, CancellationToken.None);
        var spec = SpecParser.Parse(text, file);
        specs.AddFile(path, stamp);
        Assert.Equal(Json(await SpecParser.ParseFileAsync(file)), Json(spec));
        return (specs, spec);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
