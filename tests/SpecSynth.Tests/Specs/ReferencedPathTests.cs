using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class ReferencedPathTests
{
    private static IReadOnlyList<string> PathsIn(string body) => SpecParser.Parse("# Spec\n\n" + body + "\n").ReferencedPaths;

    [Fact]
    public void Paths_in_code_spans_links_and_prose_are_collected_in_order_of_first_appearance()
    {
        var paths = PathsIn("Edit `src/api/users.ts` and Program.cs, see [the guide](docs/x.md).\n\nAgain `src/api/users.ts` and README.md.");

        Assert.Equal(["src/api/users.ts", "Program.cs", "docs/x.md", "README.md"], paths);
    }

    [Theory]
    [InlineData("`src/`", "src/")]
    [InlineData("`src/lib/auth`", "src/lib/auth")]
    [InlineData("`.\\src\\App\\Program.cs`", "src/App/Program.cs")]
    [InlineData("[spec](./specs/001/spec.md#requirements)", "specs/001/spec.md")]
    [InlineData("[up](../shared/notes.md)", "../shared/notes.md")]
    [InlineData("(see src/crawl4ai_mcp.py: 1054 lines)", "src/crawl4ai_mcp.py")]
    [InlineData("`test/core/parser.test.ts:331`", "test/core/parser.test.ts")]
    [InlineData("Run `python hello.py` now.", "hello.py")]
    [InlineData("Fails at parser.ts:12 and `app.py#L4`.", "parser.ts")]
    [InlineData("Ignore the `.gitignore` rules and the Dockerfile.", ".gitignore")]
    [InlineData("**frontend/src/pages/GitSettingsPage.tsx**", "frontend/src/pages/GitSettingsPage.tsx")]
    [InlineData("Keys live in en.json and pt-BR.json.", "en.json")]
    public void File_like_tokens_are_normalised(string body, string expected)
    {
        Assert.Equal(expected, PathsIn(body)[0]);
    }

    [Theory]
    [InlineData("See https://example.com/docs/x.md and www.example.com/a.md.")]
    [InlineData("Read `/etc/hosts.txt`, `~/notes.md` and `C:\\work\\spec.md`.")]
    [InlineData("Use it, e.g. for tests, i.e. always.")]
    [InlineData("Requires Python 3.11 and v2.0.1.")]
    [InlineData("Built on Node.js and Next.js with docs.rs links.")]
    [InlineData("Given/When/Then and and/or and enable/disable in prose.")]
    [InlineData("`next/headers` and `recording/start` are not files.")]
    [InlineData("`/specs/[###-feature-name]/` and `src/models/[entity].py` are placeholders.")]
    [InlineData("<https://example.com/a.md>")]
    public void Urls_absolute_paths_abbreviations_versions_and_product_names_are_not_paths(string body)
    {
        Assert.Empty(PathsIn(body));
    }

    [Fact]
    public void Code_blocks_and_HTML_are_not_read()
    {
        Assert.Empty(PathsIn("```\nsrc/app.py\n```\n\n<!-- docs/hidden.md -->\n\n    indented/code.py"));
    }

    [Fact]
    public void Paths_in_headings_and_tables_count()
    {
        var paths = PathsIn("## `src/app.cs`\n\n| File | Why |\n|---|---|\n| `lib/util.go` | helpers |\n");

        Assert.Equal(["src/app.cs", "lib/util.go"], paths);
    }
}
