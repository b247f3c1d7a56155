using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary>The ignore matcher against git's own test cases (<see cref="GitIgnoreCases"/>): each wildmatch rule, and
/// whole decisions under nested ignore files the way <see cref="ProjectWalker"/> makes them (a folder's files are
/// never looked at once the folder is ignored).</summary>
public sealed class GitIgnoreGitCasesTests
{
    public static TheoryData<string, string, bool> WildmatchCases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (path, pattern, matches) in GitIgnoreCases.Wildmatch)
        {
            data.Add(path, pattern, matches);
        }
        return data;
    }

    public static TheoryData<string> TreeNames()
    {
        var data = new TheoryData<string>();
        foreach (var tree in GitIgnoreCases.Trees)
        {
            data.Add(tree.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WildmatchCases))]
    public void AnIgnoreRule_MatchesAsGitsWildmatchDoes(string path, string pattern, bool matches)
    {
        var rules = GitIgnore.Parse([pattern]);

        Assert.Equal(matches ? IgnoreDecision.Ignored : IgnoreDecision.None, rules.Match(path, isDirectory: false));
    }

    [Theory]
    [MemberData(nameof(TreeNames))]
    public void NestedIgnoreFiles_DecideAsGitDoes(string name)
    {
        var (_, files, checks) = GitIgnoreCases.Trees.Single(t => t.Name == name);

        var wrong = checks.Where(c => Decide(files, c.Path) != c.Ignored)
            .Select(c => $"'{c.Path}' should {(c.Ignored ? "" : "not ")}be ignored").ToList();

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>As the walker: every folder above the path is checked first (an ignored one hides all below it), with the
    /// ignore files of the folders above that one, deepest first.</summary>
    private static bool Decide((string Folder, string Content)[] files, string check)
    {
        var isDirectory = check.EndsWith('/');
        var path = isDirectory ? check[..^1] : check;
        var segments = path.Split('/');
        IgnoreChain? chain = null;
        var prefix = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var folder = prefix.TrimEnd('/');
            var content = files.Where(f => f.Folder == folder).Select(f => f.Content).FirstOrDefault();
            if (content is not null)
            {
                chain = new IgnoreChain(GitIgnore.Parse(content), prefix, chain);
            }
            var last = i == segments.Length - 1;
            if (IgnoreChain.IsIgnored(chain, prefix + segments[i], !last || isDirectory))
            {
                return true;
            }
            prefix += segments[i] + "/";
        }
        return false;
    }
}
