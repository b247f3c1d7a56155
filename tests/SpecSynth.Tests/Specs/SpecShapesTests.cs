using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>Titles and requirements from the shapes real specs come in.</summary>
public sealed class SpecShapesTests
{
    [Fact]
    public void A_PRP_name_line_gives_the_title_even_when_its_block_is_not_YAML()
    {
        const string text = "name: \"PRP Creation Agent - research assistant\"\ndescription:\nBuild an agent: it reads: things.\n\n## Goal\n\nA Python agent.\n";

        var spec = SpecParser.Parse(text);

        Assert.Equal("PRP Creation Agent - research assistant", spec.Title);
        Assert.Equal("header-line", spec.TitleSource);
    }

    [Theory]
    [InlineData("## Goal\n\nShip it.\n\n## Why\n\nBecause.\n", "export-report", "file-name")]
    [InlineData("# Requirements Document\n\n## Introduction\n\nText.\n", "export-report", "file-name")]
    [InlineData("## Overview\n\nText.\n\n# Export Reports\n\nMore.\n", "Export Reports", "h1")]
    [InlineData("# Export reports as CSV\n\n## Goal\n\nText.\n", "Export reports as CSV", "h1")]
    public void A_generic_section_name_gives_way_to_a_better_title(string text, string title, string source)
    {
        using var dir = new TempDir();
        var path = dir.Write("export-report.md", text);

        var spec = SpecParser.ParseFile(path);

        Assert.Equal((title, source), (spec.Title, spec.TitleSource));
    }

    [Fact]
    public void A_generic_file_name_gives_way_to_its_feature_folder()
    {
        using var dir = new TempDir();
        var path = dir.Write(".kiro/specs/http-api/requirements.md", "# Requirements Document\n\n## Introduction\n\nText.\n");

        Assert.Equal("http-api", SpecParser.ParseFile(path).Title);
    }

    [Fact]
    public void OpenSpec_requirement_blocks_take_their_statement_and_removed_ones_are_not_requirements()
    {
        const string text = """
            ## ADDED Requirements

            ### Requirement: Export report as CSV
            The system SHALL export the current view as CSV.

            #### Scenario: Filters applied
            - **WHEN** the user filters and exports
            - **THEN** the file has only the filtered rows

            ## REMOVED Requirements

            ### Requirement: Print report
            **Reason**: replaced by export.
            """;

        var spec = SpecParser.Parse(text);

        var requirement = Assert.Single(spec.Requirements);
        Assert.Equal("Export report as CSV: The system SHALL export the current view as CSV.", requirement.Text);
        Assert.Equal(3, requirement.Line);
    }

    [Fact]
    public void Design_documents_yield_components_error_handling_and_testing_strategy()
    {
        const string text = """
            # Design Document — Usage Dashboard

            ## Overview

            A page.

            ## Components and Interfaces

            ### UsagePage

            Owns the filter state.

            ### UsageTable

            Sortable table of rows.

            ## Data Models

            - `UsageRow`: one row.

            ## Error Handling

            - A failed request shows the error banner.

            ## Testing Strategy

            - Unit tests for sorting.
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal(
            ["UsagePage: Owns the filter state.", "UsageTable: Sortable table of rows.", "A failed request shows the error banner.", "Unit tests for sorting."],
            spec.Requirements.Select(r => r.Text));
        Assert.Equal("Components and Interfaces", spec.Requirements[0].Section);
    }

    [Fact]
    public void Each_public_item_of_an_API_list_is_a_requirement()
    {
        const string text = "## tokenizer\n\n### Public Module API\n\n- `pub fn tokenize(input: &str) -> Vec<Token>`: splits.\n- `pub struct Span`: byte range.\n\n### Notes\n\n- fast.\n\nTest with `cargo test`.\n";

        var spec = SpecParser.Parse(text);

        Assert.Equal(["pub fn tokenize(input: &str) -> Vec<Token>: splits.", "pub struct Span: byte range."], spec.Requirements.Select(r => r.Text));
        Assert.Equal("rust", spec.Language);
    }

    [Fact]
    public void Numbered_plan_steps_are_requirements_and_checklists_are_tasks()
    {
        const string text = """
            # Webhook retries

            ## Implementation Plan

            1. Add the columns.
            2. Retry with backoff.

            ## Rollout

            - [ ] Ship the migration
            - [x] Enable the flag
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal(["Add the columns.", "Retry with backoff."], spec.Requirements.Select(r => r.Text));
        Assert.Equal([("Ship the migration", false), ("Enable the flag", true)], spec.Tasks.Select(t => (t.Text, t.Done)));
        Assert.Equal("Rollout", spec.Tasks[0].Section);
    }

    [Fact]
    public void Spec_kit_and_Kiro_task_lines_keep_their_ids()
    {
        var spec = SpecParser.Parse("# Tasks\n\n## Phase 1\n\n- [ ] T001 [P] Create `src/a.ts`\n\n# Implementation Plan\n\n- [x] 2. Build the server\n");

        Assert.Equal([("T001", "[P] Create src/a.ts"), ("2", "Build the server")], spec.Tasks.Select(t => (t.Id!, t.Text)));
        Assert.Empty(spec.Requirements);
    }

    [Fact]
    public void Gherkin_scenarios_in_fences_are_requirements()
    {
        var spec = SpecParser.Parse("# Auth\n\n## Login\n\n### Successful Login\n```gherkin\nGiven a user\nWhen they log in\nThen they see the dashboard\n```\n");

        var requirement = Assert.Single(spec.Requirements);
        Assert.Equal("Successful Login: Given a user When they log in Then they see the dashboard", requirement.Text);
    }
}
