using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class FrontMatterTests
{
    [Fact]
    public void Nested_front_matter_is_flattened_to_strings()
    {
        var spec = SpecParser.Parse("---\ntitle: Shop\nversion: 2\nowner:\n  team: web\n  lead: Ana\ntags: [a, b]\nsteps:\n  - name: build\n---\n# Body\n");

        Assert.Equal("Shop", spec.FrontMatter["title"]);
        Assert.Equal("2", spec.FrontMatter["version"]);
        Assert.Equal("web", spec.FrontMatter["owner.team"]);
        Assert.Equal("Ana", spec.FrontMatter["owner.lead"]);
        Assert.Equal("a, b", spec.FrontMatter["tags"]);
        Assert.Equal("build", spec.FrontMatter["steps[0].name"]);
        Assert.Equal("Shop", spec.FrontMatter["TITLE"]);
        Assert.Equal("Body", Assert.Single(spec.Sections).Heading);
    }

    [Fact]
    public void Invalid_YAML_front_matter_is_ignored()
    {
        var spec = SpecParser.Parse("---\ntitle: [unclosed\n  : :\n---\n# Body\n");

        Assert.Empty(spec.FrontMatter);
        Assert.Equal("Body", spec.Title);
    }

    [Fact]
    public void Headless_front_matter_closed_by_a_rule_is_read_and_not_parsed_as_markdown()
    {
        var spec = SpecParser.Parse("name: \"My PRP\"\ndescription: |\n  Build it well.\n---\n\n## Goal\n\nShip.\n");

        Assert.Equal("My PRP", spec.Title);
        Assert.Equal("Build it well.", spec.FrontMatter["description"]);
        Assert.Equal(["Goal"], spec.Sections.Select(s => s.Heading));
        Assert.Equal(6, spec.Sections[0].Line);
    }

    [Fact]
    public void Headless_front_matter_can_end_at_the_first_heading()
    {
        var spec = SpecParser.Parse("name: \"Refactor\"\ndescription: |\n\n## Purpose\nClean up.\n");

        Assert.Equal("Refactor", spec.FrontMatter["name"]);
        Assert.Equal("Purpose", Assert.Single(spec.Sections).Heading);
    }

    [Theory]
    [InlineData("Instructions:\nWe are writing a framework.\n\n# Later\n")]
    [InlineData("name is not yaml here\n# Later\n")]
    [InlineData("description: first line\nthen a prose line that: breaks yaml: badly\n- and a list\n# Later\n")]
    public void Text_that_only_looks_like_headless_front_matter_stays_body_text(string text)
    {
        var spec = SpecParser.Parse(text);

        Assert.Empty(spec.FrontMatter);
        Assert.Equal(text, spec.RawText);
    }
}
