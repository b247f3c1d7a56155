using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class RequirementExtractionTests
{
    [Theory]
    [InlineData("Requirements")]
    [InlineData("Functional Requirements")]
    [InlineData("Non-Functional")]
    [InlineData("Goals")]
    [InlineData("Success Criteria")]
    [InlineData("ACCEPTANCE CRITERIA")]
    [InlineData("Objectives")]
    [InlineData("Mid-Level Objective")]
    [InlineData("User Stories")]
    [InlineData("Must Have")]
    [InlineData("Should")]
    [InlineData("Key Features")]
    [InlineData("Deliverables")]
    [InlineData("requirements *(mandatory)*")]
    public void List_items_under_a_requirement_like_heading_are_requirements(string heading)
    {
        var spec = SpecParser.Parse($"# Spec\n\n## {heading}\n\n- Users can log in\n1. Users can log out\n");

        Assert.Equal(["Users can log in", "Users can log out"], spec.Requirements.Select(r => r.Text));
        Assert.All(spec.Requirements, r => Assert.Null(r.Id));
    }

    [Theory]
    [InlineData("Overview")]
    [InlineData("Feature Specification: Login")]
    [InlineData("User Story 1 - Login")]
    [InlineData("Implementation Plan")]
    [InlineData("Tasks")]
    public void List_items_under_other_headings_are_not_requirements(string heading)
    {
        var spec = SpecParser.Parse($"# Spec\n\n## {heading}\n\n- Users can log in\n- [ ] T001 Create project\n");

        Assert.Empty(spec.Requirements);
    }

    [Fact]
    public void Subsections_of_a_requirement_heading_inherit_it_until_a_sibling_heading()
    {
        var spec = SpecParser.Parse(
            "# Spec\n## Requirements\n### Login\n#### Details\n- a\n### Key Entities\n- **User**: a person\n## Notes\n- b\n");

        var requirement = Assert.Single(spec.Requirements);
        Assert.Equal("a", requirement.Text);
        Assert.Equal("Details", requirement.Section);
        Assert.Equal(5, requirement.Line);
    }

    [Fact]
    public void Task_checklists_count_only_under_a_requirement_heading_and_lose_the_checkbox()
    {
        var spec = SpecParser.Parse("# Tasks\n- [ ] T001 Create project\n\n## Success Criteria\n- [x] All tests pass\n- [ ] Lint is clean\n");

        Assert.Equal(["All tests pass", "Lint is clean"], spec.Requirements.Select(r => r.Text));
    }

    [Theory]
    [InlineData("- **FR-001**: System MUST do it", "FR-001")]
    [InlineData("- **FR-001:** System MUST do it", "FR-001")]
    [InlineData("FR-001: System MUST do it", "FR-001")]
    [InlineData("- NFR-2: System MUST do it", "NFR-2")]
    [InlineData("- **SC-001**: System MUST do it", "SC-001")]
    [InlineData("* REQ-1 — System MUST do it", "REQ-1")]
    [InlineData("1. `FR-007a` - System MUST do it", "FR-007a")]
    public void Spec_kit_ids_anywhere_become_requirement_ids(string line, string id)
    {
        var spec = SpecParser.Parse($"# Overview\n\n{line}\n");

        var requirement = Assert.Single(spec.Requirements);
        Assert.Equal(id, requirement.Id);
        Assert.Equal("System MUST do it", requirement.Text);
        Assert.Equal("Overview", requirement.Section);
        Assert.Equal(3, requirement.Line);
    }

    [Fact]
    public void Id_lines_joined_by_hard_breaks_become_separate_requirements()
    {
        var spec = SpecParser.Parse("# S\n\n**FR-1**: First  \n**FR-2**: Second\ncontinued\n");

        Assert.Equal([("FR-1", "First", 3), ("FR-2", "Second continued", 4)], spec.Requirements.Select(r => (r.Id!, r.Text, r.Line)));
    }

    [Fact]
    public void An_id_mentioned_mid_sentence_is_not_a_requirement()
    {
        var spec = SpecParser.Parse("# Tasks\n\n- [ ] T010 Implement FR-001: the login form\n");

        Assert.Empty(spec.Requirements);
    }

    [Theory]
    [InlineData("WHEN a user submits the form THE SYSTEM SHALL save it.")]
    [InlineData("When a user submits the form, the system shall save it.")]
    [InlineData("IF the save fails, THEN THE system SHALL show an error.")]
    [InlineData("WHILE offline the app SHALL queue writes.")]
    [InlineData("WHERE dark mode is enabled the UI SHALL use dark colours.")]
    [InlineData("THE Confirmation Modal SHALL display the name.")]
    [InlineData("WHEN I call http://127.0.0.1:5742/status THEN I SHALL get the state.")]
    public void EARS_sentences_anywhere_are_requirements(string sentence)
    {
        var spec = SpecParser.Parse($"# Design notes\n\nSome prose.\n\n{sentence}\n\n- {sentence} (as a bullet)\n");

        Assert.Equal([sentence, sentence + " (as a bullet)"], spec.Requirements.Select(r => r.Text));
    }

    [Theory]
    [InlineData("When in doubt, ask. Nothing here is binding and we shall see.")]
    [InlineData("The tempting fix is rejected because bare headers such as The system SHALL are supported.")]
    [InlineData("WHEN a spec lacks the `SHALL` keyword the validator warns.")]
    [InlineData("Thenceforth the system SHALL be fast.")]
    public void Sentences_that_only_resemble_EARS_are_not_requirements(string sentence)
    {
        var spec = SpecParser.Parse($"# Notes\n\n{sentence}\n");

        Assert.Empty(spec.Requirements);
    }

    [Fact]
    public void Kiro_acceptance_criteria_get_requirement_and_criterion_numbers()
    {
        const string text = """
            # Requirements Document

            ## Requirements

            ### Requirement 1

            **User Story:** As a user, I want X, so that Y.

            #### Acceptance Criteria

            1. WHEN a THEN the system SHALL b
            2. WHEN c THEN the system SHALL d

            ### Requirement 2 – Export

            #### Acceptance Criteria

            1. THE exporter SHALL write CSV
               - nested detail
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal(
            [("1.1", "WHEN a THEN the system SHALL b"), ("1.2", "WHEN c THEN the system SHALL d"), ("2.1", "THE exporter SHALL write CSV"), (null, "nested detail")],
            spec.Requirements.Select(r => (r.Id, r.Text)));
        Assert.All(spec.Requirements, r => Assert.Equal("Acceptance Criteria", r.Section));
    }

    [Fact]
    public void OpenSpec_requirement_headings_are_requirements_but_their_scenarios_are_not()
    {
        const string text = """
            ## Requirements
            ### Requirement: The CLI SHALL validate specs
            The validator SHALL report every error.

            #### Scenario: Missing file
            - **WHEN** the file is missing
            - **THEN** report an error
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal(
            [("The CLI SHALL validate specs", "Requirements"), ("The validator SHALL report every error.", "Requirement: The CLI SHALL validate specs")],
            spec.Requirements.Select(r => (r.Text, r.Section)));
    }

    [Fact]
    public void Inline_markup_is_stripped_and_code_text_kept()
    {
        var spec = SpecParser.Parse("## Goals\n\n- **Fast** _startup_ via `dotnet run` and [the docs](https://x.org) <br> ok\n");

        Assert.Equal("Fast startup via dotnet run and the docs ok", Assert.Single(spec.Requirements).Text);
    }

    [Fact]
    public void Duplicates_are_removed_and_document_order_kept()
    {
        var spec = SpecParser.Parse("## Goals\n- b\n- a\n- B\n\n## Success Criteria\n- a\n- c\n");

        Assert.Equal(["b", "a", "c"], spec.Requirements.Select(r => r.Text));
    }

    [Fact]
    public void Requirements_before_any_heading_have_an_empty_section()
    {
        var spec = SpecParser.Parse("THE service SHALL start in one second.\n");

        Assert.Equal(string.Empty, Assert.Single(spec.Requirements).Section);
    }

    [Fact]
    public void Code_blocks_and_HTML_comments_never_hold_requirements()
    {
        var spec = SpecParser.Parse("## Requirements\n\n```\n- FR-001: in a fence\nTHE X SHALL y\n```\n\n<!-- - FR-002: in a comment -->\n");

        Assert.Empty(spec.Requirements);
    }
}
