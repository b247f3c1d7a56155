using System.Text.Json;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>Every real-world spec in ../shared/specs/real parses into a sensible <see cref="Specification"/>.</summary>
public sealed class RealSpecsTests
{
    // Documents that clearly state requirements: spec-kit FR/SC ids, Kiro EARS criteria, PRP success or
    // acceptance criteria, OpenSpec "Requirement:" headings, user-story lists.
    private static readonly HashSet<string> WithRequirements =
    [
        "kiro-audiocap-http-api-requirements", "kiro-audiocap-multi-input-requirements",
        "kiro-git-delete-confirmation-requirements", "plain-openspec-cli-validate-spec",
        "prp-base-template-v3", "prp-feature-hello-world-script", "prp-mcp-crawl4ai-refactor-phase1",
        "prp-plan-consolidate-skills", "prp-spec-template-objectives", "rfc-minispec-registry-design",
        "speckit-event-discovery-rsvp", "speckit-hello-world-spec", "speckit-mock-auth-spec",
        "speckit-quality-recovery-suite-spec", "speckit-spec-template-2025-08",
    ];

    // Task lists and design notes: their checklists and prose are not requirements.
    private static readonly HashSet<string> WithoutRequirements =
    [
        "kiro-audiocap-http-api-tasks", "speckit-mock-auth-tasks", "speckit-tasks-template",
        "prp-task-template-v2", "gpte-snake-prompt", "gpte-file-explorer-cli-prompt",
    ];

    public static TheoryData<string> RealSpecFiles() => new(SpecNames());

    private static List<string> SpecNames() =>
        Directory.EnumerateFiles(TestPaths.RealSpecs, "*.md")
            .Where(file => !Path.GetFileName(file).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void The_real_spec_folder_holds_the_expected_documents()
    {
        var names = SpecNames();
        Assert.True(names.Count >= 27, $"expected at least 27 specs in {TestPaths.RealSpecs}, found {names.Count}");
        Assert.Subset(names.ToHashSet(), WithRequirements);
        Assert.Subset(names.ToHashSet(), WithoutRequirements);
    }

    [Theory]
    [MemberData(nameof(RealSpecFiles))]
    public async Task Every_real_spec_parses_into_a_sensible_specification(string name)
    {
        var path = Path.Combine(TestPaths.RealSpecs, name + ".md");
        var meta = ReadMeta(name);

        var spec = await SpecParser.ParseFileAsync(path);

        Assert.False(string.IsNullOrWhiteSpace(spec.Title));
        Assert.Equal(path, spec.SourcePath);
        Assert.Equal(await File.ReadAllTextAsync(path), spec.RawText);
        if (meta.Format != "gpt-engineer")
        {
            Assert.NotEmpty(spec.Sections);
        }
        var lines = spec.RawText.Split('\n');
        foreach (var section in spec.Sections)
        {
            // Every section starts on a real ATX heading line, never on a "# comment" inside a fence.
            Assert.StartsWith("#", lines[section.Line - 1].TrimStart(), StringComparison.Ordinal);
            Assert.Equal(section.Level, lines[section.Line - 1].TrimStart().TakeWhile(c => c == '#').Count());
            Assert.DoesNotContain("<!--", section.Body, StringComparison.Ordinal);
        }
        Assert.All(spec.Requirements, r => Assert.InRange(r.Line, 1, lines.Length));
        Assert.All(spec.Requirements, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
        Assert.All(spec.ReferencedPaths, AssertRelativePath);
        // No real spec has a Language:/Framework: hint line or front-matter key; what they imply is inferred
        // from their content (SpecUnderstandingTests checks it against the labels).
        Assert.DoesNotContain(spec.Tech.LanguageEvidence, e => e.Kind is "hint" or "front-matter");
        Assert.DoesNotContain(spec.Tech.FrameworkEvidence, e => e.Kind is "hint" or "front-matter");
    }

    [Theory]
    [MemberData(nameof(RealSpecFiles))]
    public void Requirements_are_found_exactly_where_the_spec_states_them(string name)
    {
        var spec = SpecParser.ParseFile(Path.Combine(TestPaths.RealSpecs, name + ".md"));

        if (WithRequirements.Contains(name))
        {
            Assert.NotEmpty(spec.Requirements);
        }
        else if (WithoutRequirements.Contains(name))
        {
            Assert.Empty(spec.Requirements);
        }
        Assert.Equal(spec.Requirements.Count, spec.Requirements.Select(r => (r.Id, r.Text)).Distinct().Count());
        Assert.Equal(spec.Requirements.OrderBy(r => r.Line).ToList(), spec.Requirements);
    }

    private static void AssertRelativePath(string path)
    {
        Assert.DoesNotContain("://", path, StringComparison.Ordinal);
        Assert.DoesNotContain('\\', path);
        Assert.False(path.StartsWith('/'), path);
        Assert.False(path.StartsWith("./", StringComparison.Ordinal), path);
    }

    private static Meta ReadMeta(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RealSpecs, name + ".meta.json")));
        var root = json.RootElement;
        return new Meta(root.GetProperty("format").GetString()!, root.GetProperty("language_hint").GetString());
    }

    private sealed record Meta(string Format, string? LanguageHint);
}
