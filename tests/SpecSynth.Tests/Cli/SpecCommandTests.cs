using System.Text.Json;

namespace SpecSynth.Tests.Cli;

/// <summary><c>specsynth spec check</c>, and how generate and context use what it reports.</summary>
public sealed class SpecCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;

    public SpecCommandTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    private static string Handwritten(string name) => Path.Combine(TestPaths.HandwrittenSpecs, name + ".md");

    private static string Real(string name) => Path.Combine(TestPaths.RealSpecs, name + ".md");

    [Fact]
    public async Task Check_prints_title_language_framework_with_evidence_requirements_and_warnings()
    {
        var result = await _cli.RunAsync("spec", "check", Handwritten("gpte-fastapi-notes-prompt"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("title        gpte-fastapi-notes-prompt (file-name)", result.Out, StringComparison.Ordinal);
        Assert.Contains("language     python from the spec: framework 'with FastAPI' line 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("framework    fastapi from the spec: statement 'with FastAPI' line 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("requirements 0", result.Out, StringComparison.Ordinal);
        Assert.Contains("warning: No requirements found", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_json_has_the_documented_shape_for_several_specs()
    {
        var result = await _cli.RunAsync("spec", "check", "--json", Handwritten("module-blob-cache-spec"), Real("speckit-spec-template-2025-08"));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var specs = doc.RootElement.GetProperty("specs").EnumerateArray().ToList();
        Assert.Equal(2, specs.Count);
        var cache = specs[0];
        var understood = cache.GetProperty("understood");
        Assert.Equal("Blob cache module", understood.GetProperty("title").GetString());
        Assert.Equal("h1", understood.GetProperty("title_source").GetString());
        Assert.Equal("rust", understood.GetProperty("language").GetString());
        Assert.Equal("inferred", understood.GetProperty("language_source").GetString());
        Assert.Equal("tokio", understood.GetProperty("framework").GetString());
        Assert.Contains(understood.GetProperty("language_evidence").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "build" && e.GetProperty("line").GetInt32() > 0);
        Assert.Equal(cache.GetProperty("requirements").GetArrayLength(), understood.GetProperty("requirements").GetInt32());
        var first = cache.GetProperty("requirements")[0];
        Assert.Equal("Public API", first.GetProperty("section").GetString());
        Assert.Contains("src/cache/mod.rs", cache.GetProperty("referenced_paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(cache.GetProperty("sections").EnumerateArray(), s => s.GetProperty("heading").GetString() == "Testing Strategy");
        Assert.False(cache.GetProperty("unfilled_template").GetBoolean());
        var template = specs[1];
        Assert.True(template.GetProperty("unfilled_template").GetBoolean());
        Assert.Equal(["unfilled-template", "template-placeholder", "needs-clarification"],
            template.GetProperty("understood").GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Check_of_a_missing_spec_is_exit_2()
    {
        var result = await _cli.RunAsync("spec", "check", "nope.md");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.md", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_refuses_an_unfilled_template_with_exit_2_and_writes_nothing()
    {
        var result = await _cli.RunAsync("generate", Real("speckit-spec-template-2025-08"), "--mock-llm", "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unfilled template: its title is the placeholder 'Feature Specification: [FEATURE NAME]'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-template", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("project", "out")));
    }

    [Fact]
    public async Task Generate_with_allow_template_goes_ahead_and_prints_the_warnings_first()
    {
        var result = await _cli.RunAsync("generate", Real("speckit-spec-template-2025-08"), "--mock-llm", "--out", "out", "--allow-template", "--dry-run");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Error.Split('\n');
        Assert.StartsWith("warning: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("[NEEDS CLARIFICATION]", StringComparison.Ordinal) || l.Contains("NEEDS CLARIFICATION", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_json_and_context_json_show_what_was_understood()
    {
        var spec = Handwritten("plain-webhook-retry-plan");

        var generate = await _cli.RunAsync("generate", spec, "--mock-llm", "--out", "out", "--dry-run", "--json");
        var context = await _cli.RunAsync("context", spec, "--provider", "mock", "--json");

        Assert.True(generate.ExitCode == 0, generate.Error);
        Assert.True(context.ExitCode == 0, context.Error);
        foreach (var output in new[] { generate.Out, context.Out })
        {
            using var doc = JsonDocument.Parse(output);
            var understood = doc.RootElement.GetProperty("understood");
            Assert.Equal("Webhook delivery retries", understood.GetProperty("title").GetString());
            Assert.Equal("csharp", understood.GetProperty("language").GetString());
            Assert.Equal("spec", understood.GetProperty("language_source").GetString());
            Assert.Equal("aspnetcore", understood.GetProperty("framework").GetString());
            Assert.Equal(6, understood.GetProperty("requirements").GetInt32());
            Assert.Equal(3, understood.GetProperty("tasks").GetInt32());
        }
    }

    [Fact]
    public async Task Context_text_says_which_language_the_prompt_gets_and_why()
    {
        File.WriteAllText(_dir.Combine("project", "app.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>");
        File.WriteAllText(_dir.Combine("project", "spec.md"), "# Fix\n\n- Change `src/app.py` and `src/util.py`.\n- Run `pytest`.\n");

        var result = await _cli.RunAsync("context", "spec.md", "--provider", "mock");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("language   csharp (also python) from the project", result.Out, StringComparison.Ordinal);
    }
}
