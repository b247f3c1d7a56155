using SpecSynth.Parsing;
using static SpecSynth.Tests.Parsing.ResponseParserCorpus;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserCorpusTests
{
    [Fact]
    public void Claude_style_reply_yields_each_bold_labelled_file_and_keeps_the_run_command_as_prose()
    {
        var reply = Read("claude-style.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(
            ["src/TodoApi/Todo.cs", "src/TodoApi/TodoStore.cs", "src/TodoApi/Program.cs", "src/TodoApi/TodoApi.csproj"],
            parsed.Files.Select(f => f.Path));
        Assert.Equal(["csharp", "csharp", "csharp", "xml"], parsed.Files.Select(f => f.Language));
        Assert.All(parsed.Files, f => Assert.True(f.IsComplete));
        Assert.Equal("namespace TodoApi;\n\n/// <summary>A todo item.</summary>\npublic sealed record Todo(int Id, string Title, bool Done);\n",
            Single(parsed, "src/TodoApi/Todo.cs").Content);
        Assert.Equal(8, Single(parsed, "src/TodoApi/Todo.cs").LineStart);
        Assert.StartsWith("<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n", Single(parsed, "src/TodoApi/TodoApi.csproj").Content, StringComparison.Ordinal);
        Assert.StartsWith("I'll implement the todo API", parsed.Explanation, StringComparison.Ordinal);
        Assert.Contains("You can run it with:\n\n```bash\ndotnet run --project src/TodoApi\n```\n\n## Notes", parsed.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("**src/TodoApi/", parsed.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("ConcurrentDictionary", parsed.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("never share an id.", parsed.Explanation, StringComparison.Ordinal);
        var warning = Assert.Single(parsed.Warnings);
        Assert.Contains("line 62: a bash code block names no file path", warning, StringComparison.Ordinal);
        AssertLineStartsPointAtContent(reply, parsed);
    }

    [Fact]
    public void Gpt_style_reply_with_heading_labels_markers_and_a_nested_readme_yields_every_file()
    {
        var reply = Read("gpt-style.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["wordcount/__init__.py", "wordcount/cli.py", "README.md", "requirements.txt"], parsed.Files.Select(f => f.Path));
        Assert.Equal(["python", "python", "markdown", null], parsed.Files.Select(f => f.Language));
        Assert.StartsWith("import argparse\n", Single(parsed, "wordcount/cli.py").Content, StringComparison.Ordinal);
        var readme = Single(parsed, "README.md").Content;
        Assert.StartsWith("# wordcount\n", readme, StringComparison.Ordinal);
        Assert.Contains("```bash\npython -m wordcount.cli notes.txt\n```\n", readme, StringComparison.Ordinal);
        Assert.EndsWith("count_words(\"a b a\")\n```\n", readme, StringComparison.Ordinal);
        Assert.Equal("pytest>=8\n", Single(parsed, "requirements.txt").Content);
        Assert.Contains("### Project structure\n\n```\nwordcount/\n", parsed.Explanation, StringComparison.Ordinal);
        Assert.Contains("### How it works\n\n1. `count_words`", parsed.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("### `README.md`", parsed.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("# filepath", parsed.Explanation, StringComparison.Ordinal);
        Assert.Contains("names no file path", Assert.Single(parsed.Warnings), StringComparison.Ordinal);
        AssertLineStartsPointAtContent(reply, parsed);
    }

    [Fact]
    public void Small_model_reply_with_colon_info_and_file_comment_skips_the_blocks_without_paths()
    {
        var reply = Read("small-model-style.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/Greeter/Greeter.cs", "src/Greeter/Program.cs"], parsed.Files.Select(f => f.Path));
        Assert.Equal("Console.WriteLine(Greeter.Greeter.Greet(args.Length > 0 ? args[0] : \"world\"));\n",
            Single(parsed, "src/Greeter/Program.cs").Content);
        Assert.Equal(14, Single(parsed, "src/Greeter/Program.cs").LineStart);
        Assert.Equal(2, parsed.Warnings.Count);
        Assert.Contains("line 17: a code block", parsed.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("line 22: a json code block", parsed.Warnings[1], StringComparison.Ordinal);
        Assert.Contains("// Example output:\nHello, world!", parsed.Explanation, StringComparison.Ordinal);
        AssertLineStartsPointAtContent(reply, parsed);
    }

    [Fact]
    public void Xml_file_tags_yield_files_and_unwrap_a_fence_inside()
    {
        var reply = Read("xml-tags.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/config.toml", "src/main.go"], parsed.Files.Select(f => f.Path));
        Assert.Equal("[server]\nport = 8080\n", parsed.Files[0].Content);
        Assert.Equal("toml", parsed.Files[0].Language);
        Assert.Equal(4, parsed.Files[0].LineStart);
        Assert.Equal("go", parsed.Files[1].Language);
        Assert.StartsWith("package main\n", parsed.Files[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("```", parsed.Files[1].Content, StringComparison.Ordinal);
        Assert.Equal("Here are the files you asked for.\n\nBoth files are complete.", parsed.Explanation);
        Assert.Empty(parsed.Warnings);
        AssertLineStartsPointAtContent(reply, parsed);
    }

    [Fact]
    public void Truncated_reply_marks_only_the_last_file_incomplete_and_keeps_its_partial_content()
    {
        var reply = Read("truncated.md");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/a.py", "src/b.py", "src/c.py"], parsed.Files.Select(f => f.Path));
        Assert.Equal([true, true, false], parsed.Files.Select(f => f.IsComplete));
        Assert.Equal("A = 1\n", parsed.Files[0].Content);
        Assert.Equal("def c():\n    return [1, 2,", parsed.Files[2].Content);
        Assert.Contains("the reply ended inside 'src/c.py'; the file is incomplete", Assert.Single(parsed.Warnings), StringComparison.Ordinal);
        Assert.Equal("The first two files are done; the third one follows.", parsed.Explanation);
    }

    [Theory]
    [InlineData("claude-style.md")]
    [InlineData("gpt-style.md")]
    [InlineData("small-model-style.md")]
    [InlineData("xml-tags.md")]
    [InlineData("truncated.md")]
    public void Corpus_parses_the_same_with_crlf_line_endings(string name)
    {
        var reply = Read(name);
        var lf = ResponseParser.Parse(reply.ReplaceLineEndings("\n"));

        var crlf = ResponseParser.Parse(reply.ReplaceLineEndings("\r\n"));

        Assert.Equal(lf.Files, crlf.Files);
        Assert.Equal(lf.Explanation, crlf.Explanation);
        Assert.Equal(lf.Warnings, crlf.Warnings);
    }
}
