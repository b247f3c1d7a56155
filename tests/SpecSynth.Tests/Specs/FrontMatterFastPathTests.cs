using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>The front matter read without YamlDotNet (<see cref="FrontMatter.FlatPairs"/>) means what YamlDotNet reads, and
/// everything it is not sure of goes to YamlDotNet.</summary>
public sealed class FrontMatterFastPathTests
{
    [Theory]
    [InlineData("title: Todo CLI\nlanguage: csharp\nframework: dotnet\n")]
    [InlineData("---\ntitle: Todo CLI\n---\n")]
    [InlineData("\r\ntitle: Todo CLI  \r\nversion: 1.0\r\n\r\nstatus: true\r\n")]
    [InlineData("name: my-prp\nowner: a  b,c/d+e_f\nempty-ish: null\nn: 0x1F\n")]
    public void Simple_pairs_read_the_same_as_YamlDotNet(string yaml)
    {
        var fast = FrontMatter.FlatPairs(yaml);

        Assert.NotNull(fast);
        Assert.Equal(FrontMatter.FlattenYaml(yaml).OrderBy(p => p.Key, StringComparer.Ordinal), fast.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("x", new Dictionary<string, string>(fast, StringComparer.OrdinalIgnoreCase).GetValueOrDefault("missing", "x"));
    }

    [Theory]
    [InlineData("title: \"Quoted\"\n")]
    [InlineData("title: 'Quoted'\n")]
    [InlineData("title: a # comment\n")]
    [InlineData("title: a: b\n")]
    [InlineData("owner:\n  team: web\n")]
    [InlineData("tags: [a, b]\n")]
    [InlineData("description: |\n  Build it well.\n")]
    [InlineData("title: Shop\ntitle: Other\n")]
    [InlineData("title: Shop\nTitle: Other\n")]
    [InlineData("  title: indented\n")]
    [InlineData("title: &anchor x\n")]
    [InlineData("title:\tTab\n")]
    [InlineData("# comment\ntitle: x\n")]
    [InlineData("title: x\n---\nother: y\n---\n")]
    [InlineData("")]
    public void Anything_else_is_left_to_YamlDotNet(string yaml) => Assert.Null(FrontMatter.FlatPairs(yaml));

    [Fact]
    public void A_spec_with_simple_front_matter_gets_its_values_and_keeps_the_case_insensitive_lookup()
    {
        var spec = SpecParser.Parse("---\ntitle: Todo CLI\nlanguage: csharp\n---\n# Body\n");

        Assert.Equal("Todo CLI", spec.FrontMatter["TITLE"]);
        Assert.Equal("csharp", spec.Language);
        Assert.Equal("Todo CLI", spec.Title);
    }
}
