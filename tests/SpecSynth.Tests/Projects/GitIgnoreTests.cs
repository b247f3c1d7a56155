using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class GitIgnoreTests
{
    [Theory]
    [InlineData("*.log", "app.log", false, true)]
    [InlineData("*.log", "deep/nested/app.log", false, true)]
    [InlineData("*.log", "app.log.txt", false, false)]
    [InlineData("*.log", "logs", true, false)]
    [InlineData("foo", "a/b/foo", false, true)]
    [InlineData("foo", "a/b/foo", true, true)]
    [InlineData("foo", "foobar", false, false)]
    [InlineData("/foo", "foo", false, true)]
    [InlineData("/foo", "a/foo", false, false)]
    [InlineData("doc/frotz", "doc/frotz", false, true)]
    [InlineData("doc/frotz", "a/doc/frotz", false, false)]
    [InlineData("build/", "build", true, true)]
    [InlineData("build/", "build", false, false)]
    [InlineData("build/", "src/build", true, true)]
    [InlineData("doc/frotz/", "doc/frotz", true, true)]
    [InlineData("doc/frotz/", "x/doc/frotz", true, false)]
    [InlineData("**/foo", "foo", false, true)]
    [InlineData("**/foo", "a/b/foo", false, true)]
    [InlineData("**/foo/bar", "a/foo/bar", false, true)]
    [InlineData("**/foo/bar", "foo/bar", false, true)]
    [InlineData("abc/**", "abc/x", false, true)]
    [InlineData("abc/**", "abc/x/y.txt", false, true)]
    [InlineData("abc/**", "abc", true, false)]
    [InlineData("a/**/b", "a/b", false, true)]
    [InlineData("a/**/b", "a/x/b", false, true)]
    [InlineData("a/**/b", "a/x/y/b", false, true)]
    [InlineData("a/**/b", "a/xb", false, false)]
    [InlineData("a/*/b", "a/x/b", false, true)]
    [InlineData("a/*/b", "a/x/y/b", false, false)]
    [InlineData("*", "anything/at/all", false, true)]
    [InlineData("fo?.txt", "foo.txt", false, true)]
    [InlineData("fo?.txt", "fo.txt", false, false)]
    [InlineData("a?b", "a/b", false, false)]
    [InlineData("file[abc].txt", "fileb.txt", false, true)]
    [InlineData("file[abc].txt", "filed.txt", false, false)]
    [InlineData("file[a-c].txt", "filec.txt", false, true)]
    [InlineData("file[!a-c].txt", "filed.txt", false, true)]
    [InlineData("file[!a-c].txt", "filea.txt", false, false)]
    [InlineData("file[^a].txt", "fileb.txt", false, true)]
    [InlineData("[]]x", "]x", false, true)]
    [InlineData("unclosed[", "unclosed[", false, false)] // git 2.39: an unclosed bracket matches nothing
    [InlineData(@"\#hash", "#hash", false, true)]
    [InlineData(@"\!bang", "!bang", false, true)]
    [InlineData(@"star\*", "star*", false, true)]
    [InlineData(@"star\*", "starx", false, false)]
    [InlineData(@"q\?", "q?", false, true)]
    [InlineData(@"q\?", "qx", false, false)]
    [InlineData("trailing   ", "trailing", false, true)]
    [InlineData(@"space\ ", "space ", false, true)]
    [InlineData("a.b", "axb", false, false)]
    [InlineData("(x)+", "(x)+", false, true)]
    public void SingleRule_MatchesLikeGit(string pattern, string path, bool isDirectory, bool ignored)
    {
        var rules = GitIgnore.Parse(pattern);

        var decision = rules.Match(path, isDirectory);

        Assert.Equal(ignored ? IgnoreDecision.Ignored : IgnoreDecision.None, decision);
    }

    [Theory]
    [InlineData("# comment")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    public void CommentsBlankLinesAndBareSlash_ProduceNoRule(string line)
    {
        Assert.True(GitIgnore.Parse(line).IsEmpty);
    }

    [Fact]
    public void Negation_ReIncludesAPathAnEarlierRuleIgnored()
    {
        var rules = GitIgnore.Parse("*.log\n!keep.log\n");

        Assert.Equal(IgnoreDecision.Ignored, rules.Match("drop.log", false));
        Assert.Equal(IgnoreDecision.Included, rules.Match("keep.log", false));
    }

    [Fact]
    public void LastMatchingRule_Wins()
    {
        var rules = GitIgnore.Parse("!keep.log\n*.log\n");

        Assert.Equal(IgnoreDecision.Ignored, rules.Match("keep.log", false));
    }

    [Fact]
    public void CrLfLines_AreParsedLikeLf()
    {
        var rules = GitIgnore.Parse("*.tmp\r\n/out\r\n");

        Assert.Equal(IgnoreDecision.Ignored, rules.Match("x.tmp", false));
        Assert.Equal(IgnoreDecision.Ignored, rules.Match("out", true));
    }

    [Fact]
    public void NestedChain_DeeperFileDecidesBeforeTheParent()
    {
        var root = new IgnoreChain(GitIgnore.Parse("*.gen.cs"), "", null);
        var nested = new IgnoreChain(GitIgnore.Parse("!keep.gen.cs\n/local.txt"), "src/", root);

        Assert.True(IgnoreChain.IsIgnored(nested, "src/other.gen.cs", false));
        Assert.False(IgnoreChain.IsIgnored(nested, "src/keep.gen.cs", false));
        Assert.True(IgnoreChain.IsIgnored(nested, "src/local.txt", false));
        Assert.False(IgnoreChain.IsIgnored(nested, "src/sub/local.txt", false));
    }
}
