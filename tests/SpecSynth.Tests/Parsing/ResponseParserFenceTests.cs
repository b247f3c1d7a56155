using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserFenceTests
{
    [Fact]
    public void Tilde_fences_hold_files_and_keep_backtick_lines_as_content()
    {
        var parsed = ResponseParser.Parse("~~~python path=a.py\nx = '''\n```\n'''\n~~~\n\n~~~~ b.sh\necho hi\n~~~\n~~~~\n");

        Assert.Equal(["a.py", "b.sh"], parsed.Files.Select(f => f.Path));
        Assert.Equal("x = '''\n```\n'''\n", parsed.Files[0].Content);
        Assert.Equal("echo hi\n~~~\n", parsed.Files[1].Content);
        Assert.All(parsed.Files, f => Assert.True(f.IsComplete));
    }

    [Fact]
    public void Longer_outer_fence_keeps_inner_fences_as_content()
    {
        const string reply = "**README.md**\n````markdown\n# Demo\n\n```csharp\nvar x = 1;\n```\n\n```\nplain\n```\n````\n\nAfter.\n";

        var parsed = ResponseParser.Parse(reply);

        var file = Assert.Single(parsed.Files);
        Assert.Equal("# Demo\n\n```csharp\nvar x = 1;\n```\n\n```\nplain\n```\n", file.Content);
        Assert.Equal("markdown", file.Language);
        Assert.Equal("After.", parsed.Explanation);
    }

    [Fact]
    public void Same_length_fences_in_a_markdown_file_pair_inner_blocks_opened_with_a_language()
    {
        const string reply = "### README.md\n```markdown\n# Demo\n\n```bash\ndotnet run\n```\n\nMore text.\n```\n\n**src/x.cs**\n```csharp\nclass X { }\n```\n";

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["README.md", "src/x.cs"], parsed.Files.Select(f => f.Path));
        Assert.Equal("# Demo\n\n```bash\ndotnet run\n```\n\nMore text.\n", parsed.Files[0].Content);
        Assert.Equal("class X { }\n", parsed.Files[1].Content);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public void Markdown_nesting_closes_where_commonmark_would_when_an_inner_fence_names_a_file()
    {
        const string reply = "```markdown path=README.md\n# Demo\n```bash\nrun\n```\n\n**src/x.cs**\n```csharp\nclass X { }\n```\n";

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["README.md", "src/x.cs"], parsed.Files.Select(f => f.Path));
        Assert.Equal("# Demo\n```bash\nrun\n", parsed.Files[0].Content);
        Assert.True(parsed.Files[0].IsComplete);
        Assert.Equal("class X { }\n", parsed.Files[1].Content);
    }

    [Fact]
    public void Reply_cut_inside_a_markdown_file_after_an_inner_block_leaves_it_incomplete()
    {
        const string reply = "```markdown path=README.md\n# Demo\n\n```bash\nrun\n```\n\nMore te";

        var parsed = ResponseParser.Parse(reply);

        var file = Assert.Single(parsed.Files);
        Assert.False(file.IsComplete);
        Assert.Equal("# Demo\n\n```bash\nrun\n```\n\nMore te", file.Content);
    }

    [Fact]
    public void Same_length_fences_outside_markdown_follow_commonmark()
    {
        var parsed = ResponseParser.Parse("```python path=a.py\ndoc = \"\"\"\n```bash\nrun\n```\n\"\"\"\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("doc = \"\"\"\n```bash\nrun\n", file.Content);
        Assert.True(file.IsComplete);
    }

    [Fact]
    public void Shorter_or_other_character_fence_does_not_close_and_the_block_is_incomplete()
    {
        var parsed = ResponseParser.Parse("````python path=a.py\nx = 1\n```\n~~~~\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("x = 1\n```\n~~~~\n", file.Content);
        Assert.False(file.IsComplete);
    }

    [Fact]
    public void Closing_fence_may_be_longer_and_carry_trailing_whitespace_but_no_text()
    {
        var parsed = ResponseParser.Parse("```python path=a.py\nx = 1\n``` not a close\n`````  \t\nAfter.\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("x = 1\n``` not a close\n", file.Content);
        Assert.True(file.IsComplete);
        Assert.Equal("After.", parsed.Explanation);
    }

    [Fact]
    public void Opening_fence_may_carry_trailing_whitespace()
    {
        var parsed = ResponseParser.Parse("```csharp   \n// filepath: src/x.cs  \nclass X { }\n```   \n");

        Assert.Equal("src/x.cs", Assert.Single(parsed.Files).Path);
    }

    [Fact]
    public void Fence_indented_up_to_three_spaces_strips_that_indentation_from_content()
    {
        var parsed = ResponseParser.Parse("1. Create `a.cs`:\n   ```csharp path=src/a.cs\n   var x = 1;\n     y();\n  z();\n   ```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("var x = 1;\n  y();\nz();\n", file.Content);
        Assert.Equal(3, file.LineStart);
        Assert.True(file.IsComplete);
    }

    [Fact]
    public void Fence_indented_four_spaces_is_not_a_fence()
    {
        var parsed = ResponseParser.Parse("Text\n\n    ```csharp path=src/a.cs\n    var x = 1;\n    ```\n");

        Assert.Empty(parsed.Files);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public void Triple_backticks_inline_on_one_line_do_not_open_a_block()
    {
        var parsed = ResponseParser.Parse("Use ```x = 1``` inline.\n```python path=a.py\nx = 1\n```\n");

        Assert.Equal("x = 1\n", Assert.Single(parsed.Files).Content);
        Assert.Equal("Use ```x = 1``` inline.", parsed.Explanation);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public void Any_line_ending_gives_the_same_files_with_content_normalised_to_lf(string eol)
    {
        var reply = string.Join(eol, "Intro.", "", "**src/a.cs**", "```csharp", "class A", "{", "}", "```", "",
            "```python", "# filepath: b.py", "b = 2", "```", "", "Outro.", "");

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/a.cs", "b.py"], parsed.Files.Select(f => f.Path));
        Assert.Equal("class A\n{\n}\n", parsed.Files[0].Content);
        Assert.Equal(5, parsed.Files[0].LineStart);
        Assert.Equal("b = 2\n", parsed.Files[1].Content);
        Assert.Equal(12, parsed.Files[1].LineStart);
        Assert.Equal("Intro.\n\nOutro.", parsed.Explanation);
    }

    [Fact]
    public void Mixed_line_endings_count_each_break_once()
    {
        var parsed = ResponseParser.Parse("a\r\nb\rc\n```python path=x.py\r\nx\r\n```");

        var file = Assert.Single(parsed.Files);
        Assert.Equal(5, file.LineStart);
        Assert.Equal("x\n", file.Content);
        Assert.True(file.IsComplete);
    }

    [Fact]
    public void Truncated_reply_ending_after_a_line_break_keeps_that_break()
    {
        var parsed = ResponseParser.Parse("**a.py**\n```python\nA = 1\n```\n**b.py**\n```python\ndef b():\n    pass\n");

        Assert.Equal([true, false], parsed.Files.Select(f => f.IsComplete));
        Assert.Equal("def b():\n    pass\n", parsed.Files[1].Content);
        Assert.Equal(7, parsed.Files[1].LineStart);
    }

    [Fact]
    public void Reply_ending_right_after_the_opening_fence_gives_an_empty_incomplete_file()
    {
        var parsed = ResponseParser.Parse("Intro.\n```csharp path=src/a.cs");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("", file.Content);
        Assert.False(file.IsComplete);
        Assert.Equal("Intro.", parsed.Explanation);
    }

    [Fact]
    public void Truncated_block_without_a_path_is_reported_as_cut()
    {
        var parsed = ResponseParser.Parse("Intro.\n```bash\necho hi");

        Assert.Empty(parsed.Files);
        Assert.Contains("the reply ended inside it", Assert.Single(parsed.Warnings), StringComparison.Ordinal);
        Assert.Equal("Intro.\n```bash\necho hi", parsed.Explanation);
    }

    [Fact]
    public void Unclosed_file_tag_is_incomplete()
    {
        var parsed = ResponseParser.Parse("<file path=\"src/a.txt\">\nhello\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("hello\n", file.Content);
        Assert.False(file.IsComplete);
    }

    [Theory]
    [InlineData("<file path='src/a.cs'>", "src/a.cs")]
    [InlineData("<file name=\"src/a.cs\">", "src/a.cs")]
    [InlineData("<FILE filename=src/a.cs>", "src/a.cs")]
    [InlineData("  <file lang=\"csharp\" path=\"src/a.cs\">", "src/a.cs")]
    public void File_tag_attributes_name_the_path(string tag, string path)
    {
        var parsed = ResponseParser.Parse($"{tag}\nclass A {{ }}\n</file>\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal(path, file.Path);
        Assert.Equal("csharp", file.Language);
        Assert.Equal("class A { }\n", file.Content);
        Assert.True(file.IsComplete);
    }

    [Fact]
    public void Whole_reply_wrapped_in_a_markdown_fence_without_a_path_is_unwrapped()
    {
        const string reply = "```markdown\nHere are the files.\n\n**src/a.cs**\n```csharp\nclass A { }\n```\n\n" +
            "```csharp\n// filepath: src/b.cs\nclass B { }\n```\n\nDone.\n```\n";

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(["src/a.cs", "src/b.cs"], parsed.Files.Select(f => f.Path));
        Assert.Equal("class A { }\n", parsed.Files[0].Content);
        Assert.Equal(6, parsed.Files[0].LineStart);
        Assert.Equal("class B { }\n", parsed.Files[1].Content);
        Assert.All(parsed.Files, f => Assert.True(f.IsComplete));
        Assert.Equal("line 1: a markdown block names no file path; its fences were ignored and the blocks inside read as files",
            Assert.Single(parsed.Warnings));
        Assert.Equal("```markdown\nHere are the files.\n\nDone.\n```", parsed.Explanation);
    }

    [Fact]
    public void Truncated_wrapped_reply_marks_the_cut_file_incomplete()
    {
        var parsed = ResponseParser.Parse("```markdown\n**a.py**\n```python\nA = 1\n```\n**b.py**\n```python\nB = ");

        Assert.Equal(["a.py", "b.py"], parsed.Files.Select(f => f.Path));
        Assert.Equal([true, false], parsed.Files.Select(f => f.IsComplete));
    }
}
