using SpecSynth.Context.Index;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>The walk's persistent cache: the same result with and without it, whatever changed in between, and
/// whatever happened to the cache file.</summary>
public sealed class WalkCacheTests : IDisposable
{
    /// <summary>Short, so a test need not wait 2 s for the tree it just wrote to be trusted (see <see cref="Settle"/>).</summary>
    private static readonly TimeSpan Racy = TimeSpan.FromMilliseconds(60);

    private readonly TempDir _dir = new();
    private readonly TempDir _state = new();
    private readonly TempDir _outside = new();

    public WalkCacheTests()
    {
        _dir.Write(".gitignore", "*.log\n/out/\n");
        _dir.Write("README.md", "# readme\n");
        _dir.Write("app.log", "ignored\n");
        _dir.Write(".env", "KEY=1\n");
        _dir.Write("src/a.cs", "class A {}\n");
        _dir.Write("src/b.cs", "class B {}\n");
        _dir.Write("src/.gitignore", "gen/\n!keep.log\n");
        _dir.Write("src/keep.log", "kept\n");
        _dir.Write("src/gen/x.cs", "generated\n");
        _dir.Write("src/deep/c.cs", "class C {}\n");
        _dir.Write("src/deep/deeper/d.cs", "class D {}\n");
        _dir.Write("docs/.specsynthignore", "draft*\n");
        _dir.Write("docs/guide.md", "guide\n");
        _dir.Write("docs/draft1.md", "draft\n");
        _dir.Write("out/bin.txt", "out\n");
        _dir.Write("node_modules/m/index.js", "x\n");
        _dir.Write("lib/z.js", "z\n");
        _outside.Write("target/t.txt", "t\n");
        File.CreateSymbolicLink(_dir.Combine("link.md"), _dir.Combine("README.md"));
        File.CreateSymbolicLink(_dir.Combine("lib", "outside"), _outside.Combine("target"));
        Settle();
    }

    public void Dispose()
    {
        _dir.Dispose();
        _state.Dispose();
        _outside.Dispose();
    }

    private string CacheFolder => _state.Combine("context-index");

    [Fact]
    public void WarmWalk_ListsNoFolderAndReadsNoIgnoreFile_AndFindsTheSame()
    {
        var cold = Walk(out var first);
        var warm = Walk(out var second);

        Assert.Equal(Uncached(), cold);
        Assert.Equal(cold, warm);
        Assert.False(first.CacheLoaded);
        Assert.True(first.CacheWritten);
        Assert.True(second.CacheLoaded);
        Assert.Equal(0, second.FoldersListed);
        Assert.Equal(first.FoldersListed, second.FoldersReused);
        Assert.Equal(0, second.IgnoreFilesRead);
        Assert.False(second.CacheWritten);
        Assert.Contains(cold, e => e.RelativePath == "src/keep.log");
        Assert.DoesNotContain(cold, e => e.RelativePath.StartsWith("src/gen/", StringComparison.Ordinal) || e.RelativePath == "docs/draft1.md");
    }

    [Fact]
    public void EveryEntry_CarriesTheSignatureTheIndexWouldTake()
    {
        Walk(out _);
        foreach (var entry in Walk(out _))
        {
            Assert.NotNull(entry.Signature);
            Assert.Equal(FileSignature.Of(entry.FullPath), entry.Signature);
            Assert.Equal(entry.Signature!.Value.Size, entry.Bytes);
        }
    }

    public static TheoryData<string> Changes =>
    [
        "add file", "remove file", "rename file", "add folder", "remove folder", "rename folder", "edit file in place",
        "edit root gitignore", "edit nested gitignore", "add nested specsynthignore", "delete gitignore", "edit specsynthignore",
        "unignore folder", "retarget file link", "link target becomes a file", "folder becomes a link", "file becomes a folder",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public void AfterAChange_TheWarmWalkFindsWhatAFreshWalkFinds(string change)
    {
        Walk(out _);
        Walk(out _);
        Apply(change);

        var warm = Walk(out var stats);

        Assert.Equal(Uncached(), warm);
        Assert.True(stats.CacheLoaded);
        Settle();
        Assert.Equal(Uncached(), Walk(out var again));
        Assert.Equal(Uncached(), Walk(out var third));
        Assert.Equal(0, third.FoldersListed);
        Assert.Equal(0, third.IgnoreFilesRead);
        _ = again;
    }

    [Fact]
    public void AnEditedIgnoreFile_IsReadAgain_AndOnlyIt()
    {
        Walk(out _);
        File.AppendAllText(_dir.Combine("src", ".gitignore"), "b.cs\n");

        var warm = Walk(out var stats);

        Assert.Equal(1, stats.IgnoreFilesRead);
        Assert.Equal(0, stats.FoldersListed);
        Assert.DoesNotContain(warm, e => e.RelativePath == "src/b.cs");
        Assert.Equal(Uncached(), warm);
    }

    [Fact]
    public void RacyFolders_AreListedAgain()
    {
        var options = new ProjectScanOptions { CacheFolder = CacheFolder };
        _dir.Write("fresh/new.cs", "new\n");
        new ProjectWalker(options).Walk(_dir.Path, CancellationToken.None);

        var walker = new ProjectWalker(options);
        var warm = walker.Walk(_dir.Path, CancellationToken.None);

        // The root and "fresh" changed within the last 2 s: not trusted, listed again.
        Assert.True(walker.Last!.FoldersListed >= 2);
        Assert.Equal(Uncached(), warm);
    }

    [Fact]
    public void OtherOptions_UseAnotherCache_AndFindWhatAFreshWalkFinds()
    {
        Walk(out _);
        var options = new ProjectScanOptions { IgnorePatterns = ["src/deep/", "!app.log"] };

        var warm = Walk(out var stats, options);

        Assert.False(stats.CacheLoaded);
        Assert.Equal(Uncached(options), warm);
        Assert.Contains(warm, e => e.RelativePath == "app.log");
        Assert.Equal(2, Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void TheFileCap_CutsTheSameFiles(int maxFiles)
    {
        var options = new ProjectScanOptions { MaxFiles = maxFiles };
        Walk(out _, options);
        Walk(out _, options);
        _dir.Write("src/deep/c2.cs", "class C2 {}\n");

        Assert.Equal(Uncached(options), Walk(out _, options));
        Assert.Equal(maxFiles, Walk(out _, options).Count);
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("empty")]
    [InlineData("delete")]
    [InlineData("garbage")]
    [InlineData("other project")]
    public void ADamagedCache_ChangesNothingButTheTime(string damage)
    {
        Walk(out _);
        var path = Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Single();
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncate":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "flip":
                for (var at = 0; at < bytes.Length; at += 97)
                {
                    var copy = (byte[])bytes.Clone();
                    copy[at] ^= 0x20;
                    File.WriteAllBytes(path, copy);
                    Assert.Equal(Uncached(), Walk(out var flipped));
                    Assert.False(flipped.CacheLoaded, $"byte {at} of {bytes.Length}");
                }
                bytes[^1] ^= 1;
                File.WriteAllBytes(path, bytes);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "delete":
                File.Delete(path);
                break;
            case "garbage":
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);
                break;
            case "other project":
                using (var other = new TempDir())
                {
                    other.Write("only.txt", "x\n");
                    new ProjectWalker(new ProjectScanOptions { CacheFolder = CacheFolder }).Walk(other.Path, CancellationToken.None);
                    var otherPath = Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Single(p => p != path);
                    File.Copy(otherPath, path, overwrite: true);
                }
                break;
        }

        var warm = Walk(out var stats);

        Assert.Equal(Uncached(), warm);
        Assert.False(stats.CacheLoaded);
        Assert.True(stats.CacheWritten);
        Assert.True(Walk(out var repaired).Count > 0);
        Assert.True(repaired.CacheLoaded);
    }

    [Fact]
    public async Task WalksAtOnce_AllFindTheSame()
    {
        Walk(out _);
        _dir.Write("src/deep/new.cs", "new\n");
        var expected = Uncached();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            if (i % 2 == 0)
            {
                File.AppendAllText(_dir.Combine("README.md"), "more\n");
            }
            return new ProjectWalker(Options()).Walk(_dir.Path, CancellationToken.None);
        })));

        var final = Uncached();
        foreach (var result in results)
        {
            Assert.Equal(expected.Select(e => e.RelativePath), result.Select(e => e.RelativePath));
        }
        Assert.Equal(final, Walk(out _));
    }

    [Fact]
    public void TheCacheFile_IsOwnerOnly_AndHoldsNoFileText()
    {
        Walk(out _);
        var path = Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Single();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));
        Assert.DoesNotContain("class A", text, StringComparison.Ordinal);
        Assert.DoesNotContain("KEY=1", text, StringComparison.Ordinal);
        Assert.Contains("!keep.log", text, StringComparison.Ordinal); // ignore files are kept whole
    }

    [Fact]
    public void TheSizeCap_DropsTheLeastRecentlyUsedCaches()
    {
        using var other = new TempDir();
        other.Write("only.txt", "x\n");
        new ProjectWalker(Options()).Walk(other.Path, CancellationToken.None);
        var small = Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Single();
        var size = new FileInfo(small).Length;
        File.Delete(small);
        Walk(out _);
        var first = Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension).Single();
        File.SetLastWriteTimeUtc(first, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        new ProjectWalker(Options() with { CacheMaxBytes = size + 10 }).Walk(other.Path, CancellationToken.None);

        Assert.False(File.Exists(first));
        Assert.Single(Directory.GetFiles(CacheFolder, "*" + WalkCache.Extension));
    }

    [Fact]
    public async Task TheScanner_WithTheStateFolder_UsesTheCacheWhenTheIndexIsOn()
    {
        var on = new ProjectScanOptions().WithState(_state.Path, new SpecSynth.Config.ContextOptions { Index = true });
        var off = new ProjectScanOptions().WithState(_state.Path, new SpecSynth.Config.ContextOptions { Index = false });
        Assert.Equal(CacheFolder, on.CacheFolder);
        Assert.Null(off.CacheFolder);

        var scanner = new ProjectScanner(on with { CacheRacyWindow = Racy });
        var first = await scanner.ScanAsync(_dir.Path);
        var second = await scanner.ScanAsync(_dir.Path);

        Assert.Equal(first.Tree, second.Tree);
        Assert.Equal(0, scanner.LastWalk!.FoldersListed);
        Assert.Equal((await new ProjectScanner().ScanAsync(_dir.Path)).Tree, second.Tree);
    }

    private void Apply(string change)
    {
        switch (change)
        {
            case "add file":
                _dir.Write("src/deep/new.cs", "new\n");
                break;
            case "remove file":
                File.Delete(_dir.Combine("src", "b.cs"));
                break;
            case "rename file":
                File.Move(_dir.Combine("src", "a.cs"), _dir.Combine("src", "a2.cs"));
                break;
            case "add folder":
                _dir.Write("src/deep/deeper/more/e.cs", "e\n");
                break;
            case "remove folder":
                Directory.Delete(_dir.Combine("src", "deep", "deeper"), recursive: true);
                break;
            case "rename folder":
                Directory.Move(_dir.Combine("src", "deep"), _dir.Combine("src", "shallow"));
                break;
            case "edit file in place":
                File.AppendAllText(_dir.Combine("src", "deep", "c.cs"), "// more\n");
                break;
            case "edit root gitignore":
                File.AppendAllText(_dir.Combine(".gitignore"), "docs/\n");
                break;
            case "edit nested gitignore":
                File.WriteAllText(_dir.Combine("src", ".gitignore"), "deep/deeper/\n");
                break;
            case "add nested specsynthignore":
                _dir.Write("src/deep/.specsynthignore", "c.cs\n");
                break;
            case "delete gitignore":
                File.Delete(_dir.Combine("src", ".gitignore"));
                break;
            case "edit specsynthignore":
                File.WriteAllText(_dir.Combine("docs", ".specsynthignore"), "guide.md\n");
                break;
            case "unignore folder":
                File.WriteAllText(_dir.Combine("src", ".gitignore"), "!gen/\n");
                break;
            case "retarget file link":
                File.Delete(_dir.Combine("link.md"));
                File.CreateSymbolicLink(_dir.Combine("link.md"), _dir.Combine("src", "a.cs"));
                break;
            case "link target becomes a file":
                // The link's own folder does not change: only its target does.
                Directory.Delete(_outside.Combine("target"), recursive: true);
                File.WriteAllText(_outside.Combine("target"), "now a file\n");
                break;
            case "folder becomes a link":
                Directory.Delete(_dir.Combine("src", "deep"), recursive: true);
                Directory.CreateSymbolicLink(_dir.Combine("src", "deep"), _outside.Combine("target"));
                break;
            case "file becomes a folder":
                File.Delete(_dir.Combine("lib", "z.js"));
                _dir.Write("lib/z.js/inner.js", "inner\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
    }

    private ProjectScanOptions Options(ProjectScanOptions? options = null) =>
        (options ?? new ProjectScanOptions()) with { CacheFolder = CacheFolder, CacheRacyWindow = Racy };

    private List<WalkEntry> Walk(out WalkStats stats, ProjectScanOptions? options = null)
    {
        var walker = new ProjectWalker(Options(options));
        var found = walker.Walk(_dir.Path, CancellationToken.None);
        stats = walker.Last!;
        return found;
    }

    private List<WalkEntry> Uncached(ProjectScanOptions? options = null) =>
        new ProjectWalker(options ?? new ProjectScanOptions()).Walk(_dir.Path, CancellationToken.None);

    /// <summary>Lets what the test just wrote age past the racy window, so a later walk may trust it.</summary>
    private static void Settle() => Thread.Sleep(Racy * 2);
}
