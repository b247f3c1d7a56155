using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class SpecWarningsTests
{
    [Fact]
    public void An_unfilled_spec_kit_template_is_flagged_with_its_placeholders_and_markers()
    {
        var spec = SpecParser.ParseFile(Path.Combine(TestPaths.RealSpecs, "speckit-spec-template-2025-08.md"));

        Assert.True(spec.IsUnfilledTemplate);
        Assert.Contains("its title is the placeholder 'Feature Specification: [FEATURE NAME]'",
            Assert.Single(spec.Warnings, w => w.Code == "unfilled-template").Message, StringComparison.Ordinal);
        var placeholders = Assert.Single(spec.Warnings, w => w.Code == "template-placeholder");
        Assert.Contains("[###-feature-name]", placeholders.Message, StringComparison.Ordinal);
        Assert.Contains(spec.Warnings, w => w.Code == "needs-clarification");
    }

    [Fact]
    public void A_filled_spec_with_one_leftover_placeholder_is_warned_about_but_not_a_template()
    {
        var spec = SpecParser.Parse("# Export\n\n## Requirements\n\n- Export as CSV, owned by [TEAM NAME].\n- Limit to 100k rows.\n");

        Assert.False(spec.IsUnfilledTemplate);
        var warning = Assert.Single(spec.Warnings);
        Assert.Equal(("template-placeholder", 5), (warning.Code, warning.Line));
        Assert.Contains("line 5: [TEAM NAME]", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clarification_markers_and_TODOs_are_listed_with_their_lines()
    {
        var spec = SpecParser.Parse("# Export\n\n## Requirements\n\n- FR-001: Export as CSV [NEEDS CLARIFICATION: which columns?]\n- FR-002: TODO decide the row limit\n");

        var clarification = Assert.Single(spec.Warnings, w => w.Code == "needs-clarification");
        Assert.Equal(5, clarification.Line);
        Assert.Contains("[NEEDS CLARIFICATION: which columns?]", clarification.Message, StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(spec.Warnings, w => w.Code == "todo").Line);
    }

    [Fact]
    public void No_requirements_is_a_warning_that_mentions_tasks()
    {
        var spec = SpecParser.Parse("# Tasks\n\n- [ ] T001 Create the project\n");

        var warning = Assert.Single(spec.Warnings);
        Assert.Equal("no-requirements", warning.Code);
        Assert.Contains("1 task", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_spec_has_no_warnings()
    {
        var spec = SpecParser.Parse("# Export\n\n## Requirements\n\n- FR-001: Export as CSV.\n- FR-002: Limit to 100k rows (links like [docs](https://x.io) and [ ] boxes are fine).\n");

        Assert.Empty(spec.Warnings);
    }
}
