using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>The string fast paths of <see cref="GlobPattern"/> agree with git's wildmatch they stand in for.</summary>
public sealed class GlobPatternTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] patterns = ["build", "*.log", "*.vcxproj.filters", ".#*", "/out", "/src/gen", "/_*", "doc/*", "a*", "*~"];
        string[] paths = ["build", "src/build", "xbuild", "build.log", "a/b/c.log", "log", ".log", "x.vcxproj.filters", ".#x", "a/.#x",
            "x.#y", "out", "a/out", "src/gen", "src/gen/x", "_x", "_x/y", "a/_x", "doc/a", "doc/a/b", "abc", "d/abc", "ba", "f~", "d/f~"];
        foreach (var pattern in patterns)
        {
            foreach (var path in paths)
            {
                data.Add(pattern, path);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastPath_AgreesWithWildmatch(string pattern, string path)
    {
        var glob = pattern.TrimStart('/');
        var anchored = pattern.Contains('/', StringComparison.Ordinal);
        var expected = Wildmatch.IsMatch(glob, anchored ? path : path[(path.LastIndexOf('/') + 1)..]);

        var compiled = GlobPattern.Compile(glob, anchored);

        Assert.Equal(expected, compiled.IsMatch(path));
    }

    [Theory]
    [InlineData("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", 5000, 1)]
    [InlineData("**/**/**/**/**/**/**/**/**/**/x", 20, 200)]
    [InlineData("/a*/a*/**/a*a*a*a*a*/**/a*a*a*a*b", 50, 100)]
    public void AHostilePattern_IsDecidedQuickly(string pattern, int segmentLength, int segments)
    {
        var path = string.Join("/", Enumerable.Repeat(new string('a', segmentLength), segments));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var matched = GitIgnore.Parse([pattern]).Match(path, isDirectory: false);

        Assert.Equal(IgnoreDecision.None, matched);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
