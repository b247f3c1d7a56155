namespace SpecSynth.Tests.Cli.Providers;

/// <summary>The spec, code and model answers the end-to-end tests use (immutable).</summary>
internal static class ModelAnswers
{
    public const string Spec = """
        ---
        title: Greeter
        language: csharp
        ---

        # Greeter

        A tiny library that greets people by name.

        ## Requirements

        - **FR-001**: `Greeter.Greet(name)` MUST return `Hello, <name>!`.
        - **FR-002**: A blank name MUST throw `ArgumentException`.
        """;

    public const string GreeterFile = """
        namespace Greeter;

        // Grüße → "Hello": the one greeting we support.
        public static class Greeter
        {
            public static string Greet(string name)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(name);
                return $"Hello, {name}!";
            }
        }

        """;

    public const string TestsFile = """
        using Xunit;

        namespace Greeter.Tests;

        public sealed class GreeterTests
        {
            [Fact]
            public void Greet_SaysHello() => Assert.Equal("Hello, Ada!", Greeter.Greet("Ada"));

            [Fact]
            public void Greet_RejectsBlankNames() => Assert.Throws<ArgumentException>(() => Greeter.Greet(" "));
        }

        """;

    /// <summary>A realistic answer: prose, then two <c>// filepath:</c> blocks, then a closing note.</summary>
    public static readonly string TwoFiles =
        "I'll implement the greeter as a small static class, with xunit tests.\n\n" +
        "```csharp\n// filepath: src/Greeter.cs\n" + GreeterFile + "```\n\n" +
        "```csharp\n// filepath: tests/GreeterTests.cs\n" + TestsFile + "```\n\n" +
        "`Greet` validates its argument first, so blank names never reach the formatting.";

    /// <summary>An answer cut by the output cap inside its second file.</summary>
    public static readonly string CutInSecondFile =
        "```csharp\n// filepath: src/Greeter.cs\n" + GreeterFile + "```\n\n" +
        "```csharp\n// filepath: tests/GreeterTests.cs\n" + TestsFile[..80];

    /// <summary>An answer whose second file climbs out of the output folder.</summary>
    public static readonly string UnsafePath =
        "```csharp\n// filepath: src/Greeter.cs\n" + GreeterFile + "```\n\n" +
        "```csharp\n// filepath: ../../escaped.cs\nclass Escaped {}\n```\n";

    public const string Explanation = """
        `Greeter.Greet` checks that the name is not blank (FR-002) and returns `Hello, <name>!` (FR-001).
        Grüße: the check runs before the formatting, so a blank name never produces `Hello, !`.
        """;

    public const string Review = """
        The greeting is right; blank names are only partly handled.

        ```json
        {"summary": "Greets correctly; validation is incomplete.",
         "requirements": [
           {"requirement": "FR-001: `Greeter.Greet(name)` MUST return `Hello, <name>!`.", "status": "met", "evidence": "src/Greeter.cs:9"},
           {"requirement": "FR-002: A blank name MUST throw `ArgumentException`.", "status": "partly", "evidence": "src/Greeter.cs:8 checks null and whitespace but not the empty string"}
         ],
         "issues": [
           {"severity": "warning", "location": "src/Greeter.cs:8", "message": "No test for an empty name."},
           {"severity": "error", "location": "src/Greeter.cs:1", "message": "The namespace and class share a name."}
         ]}
        ```
        """;
}
