using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class TitleAndSectionTests
{
    [Fact]
    public void Front_matter_title_wins_over_the_first_heading()
    {
        var spec = SpecParser.Parse("---\ntitle: Payments API\n---\n# Something else\n");

        Assert.Equal("Payments API", spec.Title);
    }

    [Fact]
    public void First_heading_of_any_level_is_the_title_without_markup()
    {
        var spec = SpecParser.Parse("Intro text.\n\n### The **`todo`** [service](docs/x.md)\n\n## Later H2\n");

        Assert.Equal("The todo service", spec.Title);
    }

    [Fact]
    public void The_first_H1_wins_over_an_earlier_lower_heading()
    {
        var spec = SpecParser.Parse("Intro text.\n\n### The todo service\n\n# Later H1\n");

        Assert.Equal(("Later H1", "h1"), (spec.Title, spec.TitleSource));
    }

    [Fact]
    public void File_name_without_extension_is_the_title_when_there_is_no_heading()
    {
        var spec = SpecParser.Parse("Build a snake game.", "/specs/snake-game.prompt.md");

        Assert.Equal("snake-game.prompt", spec.Title);
    }

    [Fact]
    public void Untitled_specification_is_the_last_resort()
    {
        var spec = SpecParser.Parse("Build a snake game.");

        Assert.Equal("Untitled specification", spec.Title);
        Assert.Equal(SpecParser.UntitledTitle, spec.Title);
        Assert.Null(spec.SourcePath);
    }

    [Fact]
    public void Each_heading_becomes_a_section_with_level_trimmed_body_and_line()
    {
        var spec = SpecParser.Parse("# Title\n\nIntro.\n\n## Goals\n\n- fast\n- small\n\n\n### Detail\nText\n");

        Assert.Equal(
            [new SpecSection("Title", 1, "Intro.", 1), new SpecSection("Goals", 2, "- fast\n- small", 5), new SpecSection("Detail", 3, "Text", 11)],
            spec.Sections);
    }

    [Fact]
    public void Setext_headings_are_sections_too()
    {
        var spec = SpecParser.Parse("My Spec\n=======\n\nBody\n\nPart\n----\nMore\n");

        Assert.Equal(["My Spec", "Part"], spec.Sections.Select(s => s.Heading));
        Assert.Equal([1, 2], spec.Sections.Select(s => s.Level));
        Assert.Equal("Body", spec.Sections[0].Body);
    }

    [Fact]
    public void Hash_lines_inside_code_fences_are_not_headings()
    {
        var spec = SpecParser.Parse("# Real\n\n```bash\n# install deps\nnpm ci\n```\n\n````\n```\n# nested\n```\n````\n");

        var section = Assert.Single(spec.Sections);
        Assert.Equal("Real", section.Heading);
        Assert.Contains("# install deps", section.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void HTML_comments_are_left_out_of_section_bodies()
    {
        var spec = SpecParser.Parse("# T\n\nBefore.\n\n<!--\n  ACTION REQUIRED: guidance\n-->\n\nAfter.\n");

        Assert.DoesNotContain("ACTION REQUIRED", spec.Sections[0].Body, StringComparison.Ordinal);
        Assert.StartsWith("Before.", spec.Sections[0].Body, StringComparison.Ordinal);
        Assert.EndsWith("After.", spec.Sections[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public void CRLF_text_and_a_missing_final_newline_are_handled()
    {
        var spec = SpecParser.Parse("# A\r\n\r\nOne\r\n\r\n## B\r\n\r\nTwo");

        Assert.Equal(["A", "B"], spec.Sections.Select(s => s.Heading));
        Assert.Equal("One", spec.Sections[0].Body);
        Assert.Equal("Two", spec.Sections[1].Body);
        Assert.Equal(5, spec.Sections[1].Line);
    }

    [Fact]
    public void Raw_text_is_kept_as_given_without_a_leading_BOM()
    {
        var spec = SpecParser.Parse("\uFEFF# T\r\nBody  \r\n");

        Assert.Equal("# T\r\nBody  \r\n", spec.RawText);
    }

    [Fact]
    public void A_mid_document_thematic_break_is_not_front_matter()
    {
        var spec = SpecParser.Parse("# T\n\nText\n\n---\n\ntitle: nope\n\n---\n");

        Assert.Empty(spec.FrontMatter);
        Assert.Equal("T", spec.Title);
    }

    [Fact]
    public void The_parsed_collections_cannot_be_changed_through_a_cast()
    {
        var spec = SpecParser.Parse("---\ntitle: T\n---\n## Goals\n\n- `a.cs`\n");

        Assert.False(spec.Sections is List<SpecSection>);
        Assert.False(spec.Requirements is List<Requirement>);
        Assert.False(spec.ReferencedPaths is List<string>);
        Assert.False(spec.FrontMatter is Dictionary<string, string>);
        Assert.Single(spec.Requirements);
        Assert.Equal(["a.cs"], spec.ReferencedPaths);
    }
}
