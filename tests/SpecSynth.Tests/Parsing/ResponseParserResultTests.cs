using SpecSynth.Parsing;
using static SpecSynth.Tests.Parsing.ResponseParserCorpus;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserResultTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\n\t\n")]
    public void Empty_reply_has_no_files_no_explanation_and_no_warnings(string reply)
    {
        var parsed = ResponseParser.Parse(reply);

        Assert.Empty(parsed.Files);
        Assert.Equal("", parsed.Explanation);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public void Prose_only_reply_has_no_files_and_keeps_the_prose_trimmed()
    {
        var parsed = ResponseParser.Parse("\n\nI can't generate code for this spec because it is empty.\n\nPlease add requirements.  \n\n");

        Assert.Empty(parsed.Files);
        Assert.Empty(parsed.Warnings);
        Assert.Equal("I can't generate code for this spec because it is empty.\n\nPlease add requirements.", parsed.Explanation);
    }

    [Fact]
    public void Null_reply_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ResponseParser.Parse(null!));
    }

    [Fact]
    public void Explanation_drops_file_blocks_and_their_labels_and_collapses_the_gaps()
    {
        var parsed = ResponseParser.Parse("Intro line.\n\n**a.py**\n```python\nx = 1\n```\n\n\n\n- point one\n- point two\n\nOutro.   \n");

        Assert.Equal("Intro line.\n\n- point one\n- point two\n\nOutro.", parsed.Explanation);
    }

    [Fact]
    public void Block_without_a_path_stays_in_the_explanation_with_a_warning_naming_its_line()
    {
        var parsed = ResponseParser.Parse("Install it:\n\n```bash\ndotnet tool install -g specsynth\n```\n\n```\nno language\n```\n");

        Assert.Empty(parsed.Files);
        Assert.Equal("Install it:\n\n```bash\ndotnet tool install -g specsynth\n```\n\n```\nno language\n```", parsed.Explanation);
        Assert.Equal(
            ["line 3: a bash code block names no file path; it was left in the explanation",
             "line 7: a code block names no file path; it was left in the explanation"],
            parsed.Warnings);
    }

    [Fact]
    public void Many_blocks_without_a_path_get_ten_warnings_and_a_summary()
    {
        var reply = string.Concat(Enumerable.Range(1, 25).Select(i => $"Step {i}:\n```bash\necho {i}\n```\n"));

        var parsed = ResponseParser.Parse(reply);

        Assert.Empty(parsed.Files);
        Assert.Equal(11, parsed.Warnings.Count);
        Assert.StartsWith("line 38: a bash code block", parsed.Warnings[9], StringComparison.Ordinal);
        Assert.Equal("15 more code blocks name no file path; they were left in the explanation", parsed.Warnings[10]);
        Assert.Contains("echo 25", parsed.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_path_keeps_the_last_block_with_a_warning()
    {
        var parsed = ResponseParser.Parse(
            "**src/a.cs**\n```csharp\nclass A { } // v1\n```\n**src/b.cs**\n```csharp\nclass B { }\n```\n" +
            "Fixed a bug in A:\n\n**src/a.cs**\n```csharp\nclass A { } // v2\n```\n");

        Assert.Equal(["src/b.cs", "src/a.cs"], parsed.Files.Select(f => f.Path));
        Assert.Equal("class A { } // v2\n", Single(parsed, "src/a.cs").Content);
        Assert.Equal(13, Single(parsed, "src/a.cs").LineStart);
        Assert.Equal("line 12: 'src/a.cs' appears again (first at line 3); the last block is used", Assert.Single(parsed.Warnings));
        Assert.Equal("Fixed a bug in A:", parsed.Explanation);
    }

    [Fact]
    public void Paths_are_cleaned_but_not_judged()
    {
        var parsed = ResponseParser.Parse(
            "```csharp path=\".\\src\\Win.cs\"\nA\n```\n" +
            "```\n// filepath: ./././lib/x.js\nB\n```\n" +
            "```\n// filepath: ../outside/evil.cs\nC\n```\n" +
            "```\n# filepath: /etc/app.conf\nD\n```\n" +
            "```\n// filepath: **'src/quoted.ts'**\nE\n```\n");

        Assert.Equal(["src/Win.cs", "lib/x.js", "../outside/evil.cs", "/etc/app.conf", "src/quoted.ts"], parsed.Files.Select(f => f.Path));
    }

    [Fact]
    public void Empty_block_with_a_path_is_an_empty_complete_file()
    {
        var parsed = ResponseParser.Parse("**src/empty.txt**\n```\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("", file.Content);
        Assert.Equal(3, file.LineStart);
        Assert.True(file.IsComplete);
    }

    [Fact]
    public void Line_start_and_language_are_exact_across_a_multi_file_reply()
    {
        const string reply = """
            Plan: two files.

            ### `src/Calc.cs`
            ```csharp
            namespace Calc;
            public static class Calculator { }
            ```

            ```json
            // filepath: appsettings.json
            { "Precision": 2 }
            ```

            ```yaml title="deploy/app.yml"
            replicas: 2
            ```
            """;

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/Calc.cs", "appsettings.json", "deploy/app.yml"], parsed.Files.Select(f => f.Path));
        Assert.Equal([5, 11, 15], parsed.Files.Select(f => f.LineStart));
        Assert.Equal(["csharp", "json", "yaml"], parsed.Files.Select(f => f.Language));
        Assert.Equal("{ \"Precision\": 2 }\n", parsed.Files[1].Content);
        Assert.Equal("Plan: two files.", parsed.Explanation);
        AssertLineStartsPointAtContent(reply, parsed);
    }

    [Fact]
    public void Mock_provider_reply_parses_into_its_five_files_without_warnings()
    {
        var reply = Read("mock-todo-cli.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["TodoCli.csproj", "src/TodoItem.cs", "src/TodoStore.cs", "src/Program.cs", "README.md"], parsed.Files.Select(f => f.Path));
        Assert.Equal(["xml", "csharp", "csharp", "csharp", "markdown"], parsed.Files.Select(f => f.Language));
        Assert.Empty(parsed.Warnings);
        Assert.All(parsed.Files, f => Assert.True(f.IsComplete));
        Assert.StartsWith("using System.Globalization;\n", Single(parsed, "src/Program.cs").Content, StringComparison.Ordinal);
        Assert.StartsWith("Here is a complete implementation of the Todo CLI.", parsed.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("returns exit code 2.", parsed.Explanation, StringComparison.Ordinal);
        AssertLineStartsPointAtContent(reply, parsed);
    }
}
