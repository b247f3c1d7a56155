using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>Specific facts about individual real-world specs, one format quirk per test.</summary>
public sealed class RealSpecExpectationsTests
{
    private static Specification Load(string name) => SpecParser.ParseFile(Path.Combine(TestPaths.RealSpecs, name + ".md"));

    [Fact]
    public void Spec_kit_spec_yields_its_exact_FR_and_SC_ids_in_order()
    {
        var spec = Load("speckit-hello-world-spec");

        Assert.Equal("Feature Specification: Hello World Documentation", spec.Title);
        Assert.Equal(
            ["FR-001", "FR-002", "FR-003", "FR-004", "FR-005", "FR-006", "FR-007", "SC-001", "SC-002", "SC-003", "SC-004", "SC-005"],
            spec.Requirements.Select(r => r.Id));
        var first = spec.Requirements[0];
        Assert.Equal("System MUST display \"Hello World\" message on the main page", first.Text);
        Assert.Equal("Functional Requirements", first.Section);
        Assert.Equal(69, first.Line);
        Assert.Equal("Measurable Outcomes", spec.Requirements[^1].Section);
    }

    [Fact]
    public void Spec_kit_spec_with_CRLF_line_endings_yields_FR_001_to_FR_014()
    {
        var spec = Load("speckit-mock-auth-spec");

        Assert.Contains("\r\n", spec.RawText, StringComparison.Ordinal);
        var fr = spec.Requirements.Where(r => r.Id!.StartsWith("FR-", StringComparison.Ordinal)).Select(r => r.Id).ToList();
        Assert.Equal(Enumerable.Range(1, 14).Select(i => $"FR-{i:000}"), fr);
        Assert.All(spec.Requirements, r => Assert.DoesNotContain('\r', r.Text));
        Assert.All(spec.Sections, s => Assert.DoesNotContain('\r', s.Heading));
        Assert.Contains(spec.Sections, s => s is { Heading: "Requirements (mandatory)", Level: 2 });
    }

    [Fact]
    public void Requirement_ids_in_a_table_are_read_with_the_text_of_the_next_cell()
    {
        var spec = Load("speckit-event-discovery-rsvp");

        Assert.Equal(Enumerable.Range(1, 19).Select(i => $"FR-{i:00}"), spec.Requirements.Select(r => r.Id).Take(19));
        var fr10 = Assert.Single(spec.Requirements, r => r.Id == "FR-10");
        Assert.Equal(".ics calendar file generation for any event", fr10.Text);
        Assert.Equal("Functional Requirements", fr10.Section);
    }

    [Fact]
    public void Needs_clarification_markers_stay_in_the_requirement_text()
    {
        var spec = Load("speckit-quality-recovery-suite-spec");

        var fr15 = Assert.Single(spec.Requirements, r => r.Id == "FR-015");
        Assert.Equal("System MUST log all command executions for audit purposes [NEEDS CLARIFICATION: Log retention policy?]", fr15.Text);
        Assert.DoesNotContain(spec.Requirements, r => r.Section == "Requirement Completeness");
    }

    [Fact]
    public void Older_kiro_acceptance_criteria_get_requirement_dot_criterion_ids()
    {
        var spec = Load("kiro-audiocap-http-api-requirements");

        // "Requirements Document" says nothing about the feature; the file name does.
        Assert.Equal("kiro-audiocap-http-api-requirements", spec.Title);
        Assert.Equal(30, spec.Requirements.Count);
        Assert.Equal(
            Enumerable.Range(1, 6).SelectMany(n => Enumerable.Range(1, 5).Select(k => $"{n}.{k}")),
            spec.Requirements.Select(r => r.Id));
        var first = spec.Requirements[0];
        Assert.Equal("WHEN the HTTP API server is started THEN it SHALL listen on a configurable IP address and port (default 127.0.0.1:5742)", first.Text);
        Assert.Equal("Acceptance Criteria", first.Section);
        Assert.Equal(15, first.Line);
        // Code spans keep their text without backticks.
        Assert.Contains(spec.Requirements, r => r.Text.Contains("OpenAPI documentation interface at /docs", StringComparison.Ordinal));
    }

    [Fact]
    public void Newer_kiro_EARS_criteria_keep_their_wording_and_ids()
    {
        var spec = Load("kiro-git-delete-confirmation-requirements");

        Assert.Equal("Requirements Document — Git Settings Delete Confirmation Modal", spec.Title);
        Assert.Equal(14, spec.Requirements.Count);
        var cancel = Assert.Single(spec.Requirements, r => r.Id == "3.2");
        Assert.Equal("THE cancel button SHALL reuse the existing common.cancel key.", cancel.Text);
        var failure = Assert.Single(spec.Requirements, r => r.Id == "1.5");
        Assert.StartsWith("IF the delete call fails, THEN THE GitSettingsPage SHALL display", failure.Text, StringComparison.Ordinal);
        // Glossary bullets are definitions, not requirements.
        Assert.DoesNotContain(spec.Requirements, r => r.Section == "Glossary");
        Assert.Equal(["frontend/src/pages/GitSettingsPage.tsx", "en.json", "pt-BR.json"], spec.ReferencedPaths);
    }

    [Fact]
    public void OpenSpec_requirement_headings_become_requirements_and_fenced_headings_do_not_become_sections()
    {
        var spec = Load("plain-openspec-cli-validate-spec");

        var heading = spec.Requirements[0];
        Assert.Equal("Validation SHALL provide actionable remediation steps", heading.Text);
        Assert.Equal("Requirements", heading.Section);
        Assert.Equal(7, heading.Line);
        // "#### Scenario: Short name" sits inside an unlabelled fence.
        Assert.DoesNotContain(spec.Sections, s => s.Heading == "Scenario: Short name");
        Assert.Contains(spec.Sections, s => s is { Heading: "Scenario: Bulleted WHEN/THEN under a Requirement", Level: 4 });
        // A quoted `SHALL` keyword in a WHEN bullet is not a requirement.
        Assert.DoesNotContain(spec.Requirements, r => r.Text.StartsWith("WHEN a main spec", StringComparison.Ordinal));
    }

    [Fact]
    public void Headless_PRP_front_matter_gives_the_title_and_is_not_body_text()
    {
        var spec = Load("prp-base-template-v3");

        Assert.Equal("Base PRP Template v3 - Implementation-Focused with Precision Standards", spec.Title);
        Assert.Equal(spec.Title, spec.FrontMatter["name"]);
        Assert.Equal("Goal", spec.Sections[0].Heading);
        Assert.Equal("[Specific measurable outcomes]", Assert.Single(spec.Requirements).Text);
    }

    [Fact]
    public void Headless_front_matter_without_a_closing_line_ends_at_the_first_heading()
    {
        var spec = Load("prp-mcp-crawl4ai-refactor-phase1");

        Assert.Equal("MCP Crawl4AI RAG Refactor - Phase 1: Foundation First", spec.Title);
        Assert.Equal("Purpose", spec.Sections[0].Heading);
        Assert.Equal(
            ["All files under 500 lines", "100% type coverage with Pydantic models", "Pytest tests for all new components",
             "All existing functionality working", "UV package management properly configured", "Ruff linting passing"],
            spec.Requirements.Select(r => r.Text));
        Assert.All(spec.Requirements, r => Assert.Equal("Success Criteria", r.Section));
        Assert.Equal(["src/crawl4ai_mcp.py", "src/utils.py"], spec.ReferencedPaths.Take(2));
    }

    [Fact]
    public void Prose_front_matter_is_ignored_and_a_four_backtick_fence_hides_its_headings()
    {
        var spec = Load("prp-task-template-v2");

        Assert.Empty(spec.FrontMatter);
        Assert.Equal("Task Template v2 - Information Dense with Validation Loops", spec.Title);
        Assert.Equal(5, spec.Sections[0].Line);
    }

    [Fact]
    public void YAML_front_matter_with_a_nested_list_is_flattened()
    {
        var spec = Load("rfc-minispec-registry-design");

        Assert.Equal("MiniSpec Registry Design", spec.Title);
        Assert.Equal("registry", spec.FrontMatter["feature"]);
        Assert.Equal("implemented", spec.FrontMatter["status"]);
        Assert.StartsWith("001-package-per-directory, 002-explicit-file-mapping", spec.FrontMatter["decisions"], StringComparison.Ordinal);
        // Five user stories, then the items of the CLI surface and the components (a design document's parts).
        Assert.Equal(5, spec.Requirements.Count(r => r.Section == "User Stories"));
        Assert.All(spec.Requirements.Where(r => r.Section == "User Stories"), r => Assert.StartsWith("As a", r.Text, StringComparison.Ordinal));
        Assert.Contains(spec.Requirements, r => r is { Text: "Registry Management", Section: "CLI Surface" });
    }

    [Fact]
    public void Front_matter_with_a_blank_first_line_is_read_and_task_lines_are_not_requirements()
    {
        var spec = Load("speckit-tasks-template");

        Assert.Equal("Task list template for feature implementation", spec.FrontMatter["description"]);
        Assert.Equal("Tasks: [FEATURE NAME]", spec.Title);
        Assert.Empty(spec.Requirements);
        Assert.Contains("backend/src/", spec.ReferencedPaths);
    }

    [Fact]
    public void Spec_kit_tasks_reference_the_files_they_touch()
    {
        var spec = Load("speckit-mock-auth-tasks");

        Assert.Empty(spec.Requirements);
        Assert.Contains("src/lib/auth/mock-users.ts", spec.ReferencedPaths);
        Assert.Contains("src/components/dev/MockUserSwitcher.tsx", spec.ReferencedPaths);
        Assert.DoesNotContain("next/headers", spec.ReferencedPaths);
    }

    [Fact]
    public void A_one_line_prompt_takes_its_title_from_the_file_name_and_states_its_language_in_prose()
    {
        var spec = Load("gpte-snake-prompt");

        Assert.Equal("gpte-snake-prompt", spec.Title);
        Assert.Empty(spec.Sections);
        Assert.Equal("python", spec.Language);
        Assert.Equal(new TechEvidence("python", "statement", "in python", 1), Assert.Single(spec.Tech.LanguageEvidence));
        Assert.StartsWith("We are writing snake in python.", spec.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_design_document_with_several_H1s_keeps_the_first_as_title()
    {
        var spec = Load("rfc-redb-design");

        Assert.Equal("redb design", spec.Title);
        Assert.Equal(
            ["redb design", "File format", "Commit strategies", "MVCC (multi-version concurrency control)", "Version changes", "Assumptions about underlying media"],
            spec.Sections.Where(s => s.Level == 1).Select(s => s.Heading));
    }

    [Fact]
    public void PRP_feature_acceptance_criteria_are_requirements_and_comments_are_not_content()
    {
        var spec = Load("prp-feature-hello-world-script");

        // Two testing-strategy items, then the nine acceptance criteria.
        Assert.Equal(["TESTING STRATEGY", "TESTING STRATEGY"], spec.Requirements.Take(2).Select(r => r.Section));
        var criteria = spec.Requirements.Skip(2).ToList();
        Assert.Equal(9, criteria.Count);
        Assert.Equal("File hello.py exists in project root directory", criteria[0].Text);
        Assert.All(criteria, r => Assert.Equal("ACCEPTANCE CRITERIA", r.Section));
        Assert.Equal("hello.py", spec.ReferencedPaths[0]);
    }

    [Fact]
    public void A_spec_whose_first_heading_is_a_generic_section_takes_its_file_name_as_title()
    {
        var spec = Load("rfc-openspec-spec-parser-fidelity-proposal");

        Assert.Equal("rfc-openspec-spec-parser-fidelity-proposal", spec.Title);
        Assert.Equal("Why", spec.Sections[0].Heading);
        Assert.Equal(2, spec.Sections[0].Level);
        Assert.Contains("src/core/parsers/markdown-parser.ts", spec.ReferencedPaths);
        Assert.Contains("test/core/parsers/markdown-parser.test.ts", spec.ReferencedPaths);
    }
}
