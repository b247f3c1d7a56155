using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class HintExtractionTests
{
    [Theory]
    [InlineData("language: Python", "python", null)]
    [InlineData("lang: C#", "csharp", null)]
    [InlineData("language: TypeScript\nframework: Next.js", "typescript", "nextjs")]
    [InlineData("framework: FastAPI", "python", "fastapi")]
    [InlineData("stack: Go + Gin", "go", "gin")]
    [InlineData("language: csharp\nframework: dotnet", "csharp", "dotnet")]
    [InlineData("language: '[NEEDS CLARIFICATION]'", null, null)]
    public void Front_matter_keys_give_language_and_framework(string yaml, string? language, string? framework)
    {
        var spec = SpecParser.Parse($"---\n{yaml}\n---\n# Spec\n");

        Assert.Equal(language, spec.Language);
        Assert.Equal(framework, spec.Framework);
    }

    [Theory]
    [InlineData("Language: Python", "python", null)]
    [InlineData("**Language/Version**: Python 3.11", "python", null)]
    [InlineData("**Language:** Rust 1.75", "rust", null)]
    [InlineData("- Programming language: Kotlin", "kotlin", null)]
    [InlineData("Target framework: ASP.NET Core", "csharp", "aspnetcore")]
    [InlineData("Framework: Django 5", "python", "django")]
    [InlineData("Tech stack: TypeScript, React, Express", "typescript", "react")]
    [InlineData("**Primary Dependencies**: FastAPI, pydantic", "python", "fastapi")]
    [InlineData("Stack: Ruby on Rails", "ruby", "rails")]
    [InlineData("Language: Swift 5.9 with SwiftUI", "swift", "swiftui")]
    [InlineData("Language: .NET 8", "csharp", "dotnet")]
    [InlineData("Language: dotnet", "csharp", "dotnet")]
    [InlineData("Language: C# / .NET 8 with ASP.NET Core", "csharp", "aspnetcore")]
    [InlineData("Tech stack: React + Next.js", null, "nextjs")]
    [InlineData("Language: JavaScript (Node.js)", "javascript", null)]
    [InlineData("Language: Java 21 / Spring Boot", "java", "spring")]
    [InlineData("Language: C++20", "cpp", null)]
    [InlineData("Language: C", "c", null)]
    [InlineData("Language: PHP 8 (Laravel)", "php", "laravel")]
    [InlineData("Language: Go 1.22", "go", null)]
    [InlineData("Language: English", null, null)]
    [InlineData("**Language/Version**: [e.g., Python 3.11, Swift 5.9, Rust 1.75 or NEEDS CLARIFICATION]", null, null)]
    public void Explicit_hint_lines_are_normalised_to_ids(string line, string? language, string? framework)
    {
        var spec = SpecParser.Parse($"# Plan\n\n## Technical Context\n\n{line}  \n**Storage**: N/A\n");

        Assert.Equal(language, spec.Language);
        Assert.Equal(framework, spec.Framework);
    }

    [Fact]
    public void Front_matter_wins_over_hint_lines_and_the_first_hint_line_wins()
    {
        var spec = SpecParser.Parse("---\nlanguage: go\n---\n# P\n\nLanguage: Python\n\nFramework: Flask\n\nFramework: Django\n");

        Assert.Equal("go", spec.Language);
        Assert.Equal("flask", spec.Framework);
    }

    [Theory]
    [InlineData("We are writing snake in python. It uses Django and React.")]
    [InlineData("The language: it should be friendly, like Python docs.")]
    [InlineData("```python\nlanguage: python\nprint('hi')\n```\n\n```python\nx = 1\n```")]
    [InlineData("`Language: Python`")]
    public void Prose_code_fences_and_code_spans_are_never_hints(string body)
    {
        var spec = SpecParser.Parse($"# Snake\n\n{body}\n");

        // Other clues may still imply a language (see TechInferenceTests); none of these is a hint line.
        Assert.DoesNotContain(spec.Tech.LanguageEvidence, e => e.Kind is "hint" or "front-matter");
        Assert.DoesNotContain(spec.Tech.FrameworkEvidence, e => e.Kind is "hint" or "front-matter");
    }

    [Fact]
    public void A_framework_that_fits_several_languages_leaves_the_language_unset()
    {
        var spec = SpecParser.Parse("# App\n\nFramework: React\n");

        Assert.Equal("react", spec.Framework);
        Assert.Null(spec.Language);
    }

    [Fact]
    public void A_front_matter_spec_like_the_bundled_example_states_csharp_and_dotnet()
    {
        const string text = """
            ---
            title: Todo CLI
            language: csharp
            framework: dotnet
            ---

            # Todo CLI

            ## Requirements

            - **FR-001**: `todo add <text>` MUST append an item and print `Added #<id>: <text>`.

            ## Project layout

            - `src/Program.cs`: argument handling and exit codes.
            """;

        var spec = SpecParser.Parse(text);

        Assert.Equal("Todo CLI", spec.Title);
        Assert.Equal("csharp", spec.Language);
        Assert.Equal("dotnet", spec.Framework);
        Assert.Equal("todo add <text> MUST append an item and print Added #<id>: <text>.", Assert.Single(spec.Requirements).Text);
        Assert.Equal(["src/Program.cs"], spec.ReferencedPaths);
    }
}
