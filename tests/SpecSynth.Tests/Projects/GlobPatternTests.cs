using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>The string fast paths of <see cref="GlobPattern"/> agree with the regular expression they replace.</summary>
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
    public void FastPath_AgreesWithTheRegex(string pattern, string path)
    {
        var glob = pattern.TrimStart('/');
        var anchored = pattern.Contains('/', StringComparison.Ordinal);
        var body = System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        var regex = new System.Text.RegularExpressions.Regex((anchored ? "^" : "^(?:.*/)?") + body + @"\z");

        var compiled = GlobPattern.Compile(glob, anchored, () => body);

        Assert.Equal(regex.IsMatch(path), compiled.IsMatch(path));
    }
}
