using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>The walk's order: every path sorted ordinally (names with characters below <c>/</c> make a folder's listing
/// order differ from its paths' order), and under a file cap the first files of a depth-first walk by name.</summary>
public sealed class ProjectWalkerOrderTests : IDisposable
{
    private static readonly string[] Files =
    [
        "a", "a.c", "a b/1.txt", "a!/2.txt", "a-b/3.txt", "a-b/c/4.txt", "a.d/5.txt", "ab/6.txt", "a0/7.txt", "b/x/8.txt",
        "b/x-y/9.txt", "b/x.y", "b/x y/10.txt", "c+/11.txt", "c/12.txt", "c/z", "c,/13.txt", "d/e/f/g/14.txt", "d/e.f", "d/e-f/15.txt",
    ];

    private readonly TempDir _dir = new();
    private readonly TempDir _state = new();

    public ProjectWalkerOrderTests()
    {
        foreach (var file in Files)
        {
            _dir.Write(file, "x\n");
        }
    }

    public void Dispose()
    {
        _dir.Dispose();
        _state.Dispose();
    }

    [Fact]
    public void EveryFile_ComesInOrdinalPathOrder_WithAndWithoutTheCache()
    {
        var expected = Files.Order(StringComparer.Ordinal).ToList();
        var cached = new ProjectScanOptions { CacheFolder = _state.Combine("context-index"), CacheRacyWindow = TimeSpan.Zero };

        Assert.Equal(expected, Paths(new ProjectScanOptions()));
        Assert.Equal(expected, Paths(cached));
        Assert.Equal(expected, Paths(cached));
        Assert.Equal(expected, Paths(new ProjectScanOptions { MaxFiles = Files.Length }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(19)]
    public void UnderACap_TheFirstFilesOfADepthFirstWalkByName_AreTaken_ThenSorted(int maxFiles)
    {
        var expected = DepthFirstByName(_dir.Path, "").Take(maxFiles).Order(StringComparer.Ordinal).ToList();
        var cached = new ProjectScanOptions { MaxFiles = maxFiles, CacheFolder = _state.Combine("context-index"), CacheRacyWindow = TimeSpan.Zero };

        Assert.Equal(expected, Paths(new ProjectScanOptions { MaxFiles = maxFiles }));
        Assert.Equal(expected, Paths(cached));
        Assert.Equal(expected, Paths(cached));
    }

    private List<string> Paths(ProjectScanOptions options) =>
        [.. new ProjectWalker(options).Walk(_dir.Path, CancellationToken.None).Select(e => e.RelativePath)];

    /// <summary>A folder's files by name, then its subfolders by name, each in full.</summary>
    private static IEnumerable<string> DepthFirstByName(string folder, string prefix)
    {
        var entries = new DirectoryInfo(folder).GetFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        foreach (var file in entries.OfType<FileInfo>())
        {
            yield return prefix + file.Name;
        }
        foreach (var sub in entries.OfType<DirectoryInfo>())
        {
            foreach (var path in DepthFirstByName(sub.FullName, prefix + sub.Name + "/"))
            {
                yield return path;
            }
        }
    }
}
