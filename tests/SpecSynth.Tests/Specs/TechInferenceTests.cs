using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class TechInferenceTests
{
    [Theory]
    [InlineData("We are writing snake in python. MVC components split in separate files.", "python")]
    [InlineData("A Python agent that answers questions about the docs.", "python")]
    [InlineData("The parser is ported to Rust and keeps the same tests.", "rust")]
    [InlineData("Write a small CLI in Go that tails a log file.", "go")]
    [InlineData("Implemented in TypeScript, running on Node.", "typescript")]
    public void A_statement_in_prose_states_the_language(string body, string language)
    {
        var spec = SpecParser.Parse($"# Tool\n\n{body}\n");

        Assert.Equal(language, spec.Language);
        Assert.True(spec.Tech.LanguageStated);
        Assert.Contains(spec.Tech.LanguageEvidence, e => e is { Kind: "statement", Line: 3 } && e.Value == language);
    }

    [Theory]
    [InlineData("Let's go through the list and ship it.")]
    [InlineData("The shell of the building is out of scope; we express interest in a C grade.")]
    [InlineData("The `python` keyword appears in a code span only.")]
    public void Ordinary_words_are_not_language_statements(string body)
    {
        var spec = SpecParser.Parse($"# Notes\n\n{body}\n");

        Assert.Null(spec.Language);
        Assert.Null(spec.Framework);
        Assert.Empty(spec.Tech.LanguageEvidence);
    }

    [Fact]
    public void A_stated_framework_implies_its_language()
    {
        var spec = SpecParser.Parse("Build a small REST API with FastAPI for notes, stored in SQLite.\n");

        Assert.Equal("fastapi", spec.Framework);
        Assert.Equal("python", spec.Language);
        Assert.Contains(spec.Tech.LanguageEvidence, e => e.Kind == "framework");
    }

    [Fact]
    public void Paths_fences_names_and_build_commands_add_up_to_a_language_and_framework()
    {
        const string text = """
            # Usage page

            ## Components

            - `frontend/src/pages/UsagePage.tsx` renders the page with React.
            - `frontend/src/hooks/useUsage.ts` wraps the query.

            ```tsx
            export function UsagePage() { const [f, setF] = useState(1); }
            ```

            Run `npm run test`.
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal("typescript", spec.Language);
        Assert.Equal("react", spec.Framework);
        Assert.False(spec.Tech.LanguageStated);
        var kinds = spec.Tech.LanguageEvidence.Select(e => e.Kind).ToHashSet();
        Assert.Superset(new HashSet<string> { "path", "fence", "build" }, kinds.Intersect(["path", "fence", "build"]).ToHashSet());
        Assert.Contains(spec.Tech.LanguageEvidence, e => e is { Kind: "path", Text: "frontend/src/pages/UsagePage.tsx", Line: 5 });
        Assert.Contains(spec.Tech.FrameworkEvidence, e => e.Kind == "name" && e.Text == "React");
    }

    [Fact]
    public void One_weak_clue_is_not_enough_and_the_model_chooses()
    {
        var spec = SpecParser.Parse("# Report\n\nThe report is written to `out/report.py` once a day.\n");

        Assert.Null(spec.Language);
        Assert.Equal("choose the best fit for the specification", spec.Tech.Resolve(null, null).LanguageText);
    }

    [Fact]
    public void Shell_fences_of_validation_steps_do_not_make_a_shell_spec()
    {
        var fences = string.Concat(Enumerable.Repeat("```bash\nmake lint\n```\n\n", 8));
        var spec = SpecParser.Parse($"# Docs cleanup\n\n{fences}");

        Assert.Null(spec.Language);
    }

    [Fact]
    public void Several_languages_give_a_primary_and_the_others()
    {
        const string text = """
            # Backups

            A Bash script for Linux and a PowerShell script for Windows.

            - `scripts/backup.sh`
            - `scripts/Backup.ps1`
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal("bash", spec.Language);
        Assert.Equal(["powershell"], spec.Tech.OtherLanguages);
        Assert.Equal("bash (also powershell)", spec.Tech.Resolve(null, null).LanguageText);
    }

    [Fact]
    public void The_project_ecosystem_wins_over_what_the_content_implies_but_not_over_a_statement()
    {
        var implied = SpecParser.Parse("# Fix\n\n- Change `src/app.py` and `src/util.py`.\n- Run `pytest`.\n");
        var stated = SpecParser.Parse("# Fix\n\nA Python agent.\n");

        Assert.Equal("python", implied.Language);
        var resolved = implied.Tech.Resolve("csharp", "aspnetcore");
        Assert.Equal(("csharp", "project", "aspnetcore"), (resolved.Language, resolved.LanguageSource, resolved.Framework));
        Assert.Equal(["python"], resolved.OtherLanguages);
        var kept = stated.Tech.Resolve("csharp", "aspnetcore");
        Assert.Equal(("python", "spec"), (kept.Language, kept.LanguageSource));
        Assert.Null(kept.Framework);
        Assert.Equal(("python", "inferred"), (implied.Tech.Resolve(null, null).Language, implied.Tech.Resolve(null, null).LanguageSource));
    }

    [Fact]
    public void Hint_lines_that_disagree_are_a_contradiction()
    {
        var spec = SpecParser.Parse("---\nlanguage: go\n---\n# P\n\nLanguage: Python\n");

        Assert.Equal("go", spec.Language);
        var warning = Assert.Single(spec.Warnings, w => w.Code == "contradictory-language");
        Assert.Contains("the front matter says go but line 6 says python", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stated_language_the_content_strongly_contradicts_is_flagged()
    {
        var files = string.Join('\n', Enumerable.Range(1, 8).Select(i => $"- `crates/core/src/m{i}.rs`"));
        var spec = SpecParser.Parse($"# Core\n\nLanguage: Python\n\n## Files\n\n{files}\n\nRun `cargo test`.\n");

        Assert.Equal("python", spec.Language);
        Assert.Contains(spec.Warnings, w => w.Code == "contradictory-language" && w.Message.Contains("points to rust", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_first_pages_are_read_for_statements_so_huge_specs_stay_fast()
    {
        var filler = string.Concat(Enumerable.Repeat("Plain prose about the feature.\n\n", TechInferrer.MaxLines));

        var late = SpecParser.Parse($"# Big\n\n{filler}A Rust crate.\n");
        var early = SpecParser.Parse($"# Big\n\nA Rust crate.\n\n{filler}");

        Assert.Null(late.Language);
        Assert.Equal("rust", early.Language);
    }
}
