using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

public sealed class ResponseParserLabelTests
{
    [Theory]
    [InlineData("**src/x.cs**")]
    [InlineData("**File: src/x.cs**")]
    [InlineData("**File:** `src/x.cs`")]
    [InlineData("### File: src/x.cs")]
    [InlineData("### src/x.cs")]
    [InlineData("#### `src/x.cs`")]
    [InlineData("### `src/x.cs` (new file)")]
    [InlineData("`src/x.cs`:")]
    [InlineData("`src/x.cs`")]
    [InlineData("File: src/x.cs")]
    [InlineData("Filename: src/x.cs")]
    [InlineData("Path: src/x.cs")]
    [InlineData("src/x.cs:")]
    [InlineData("src/x.cs")]
    [InlineData("1. **src/x.cs**")]
    [InlineData("2) `src/x.cs`:")]
    [InlineData("- **src/x.cs**")]
    [InlineData("* `src/x.cs`")]
    [InlineData("**`src/x.cs`**")]
    [InlineData("**./src/x.cs**")]
    [InlineData("**src\\x.cs**")]
    [InlineData("  **src/x.cs**:  ")]
    public void Label_on_the_line_before_the_fence_names_the_path_and_leaves_the_explanation(string label)
    {
        foreach (var gap in new[] { "\n", "\n\n" })
        {
            var parsed = ResponseParser.Parse($"Intro.\n\n{label}{gap}```csharp\nclass X {{ }}\n```\n\nOutro.\n");

            var file = Assert.Single(parsed.Files);
            Assert.Equal("src/x.cs", file.Path);
            Assert.Equal("csharp", file.Language);
            Assert.Equal("class X { }\n", file.Content);
            Assert.Equal("Intro.\n\nOutro.", parsed.Explanation);
            Assert.Empty(parsed.Warnings);
        }
    }

    [Theory]
    [InlineData("Filename: x", "x")]
    [InlineData("**File:** Dockerfile", "Dockerfile")]
    [InlineData("### Makefile", "Makefile")]
    [InlineData("**.gitignore**", ".gitignore")]
    public void Label_with_a_keyword_or_known_name_may_lack_an_extension(string label, string path)
    {
        var parsed = ResponseParser.Parse($"{label}\n```\ncontent\n```\n");

        Assert.Equal(path, Assert.Single(parsed.Files).Path);
    }

    [Theory]
    [InlineData("Here is the updated `src/x.cs`:")]
    [InlineData("See src/x.cs for details:")]
    [InlineData("### Implementation")]
    [InlineData("**Usage:**")]
    [InlineData("Example:")]
    [InlineData("Run this in v1.2:")]
    [InlineData("Output")]
    public void Prose_before_a_fence_is_not_a_label(string line)
    {
        var parsed = ResponseParser.Parse($"{line}\n```csharp\nclass X {{ }}\n```\n");

        Assert.Empty(parsed.Files);
        Assert.Single(parsed.Warnings);
        Assert.StartsWith(line.Trim(), parsed.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_two_blank_lines_above_the_fence_is_not_used()
    {
        var parsed = ResponseParser.Parse("**src/x.cs**\n\n\n```csharp\nclass X { }\n```\n");

        Assert.Empty(parsed.Files);
        Assert.Single(parsed.Warnings);
    }

    [Fact]
    public void Closing_fence_of_the_previous_block_is_never_read_as_a_label()
    {
        var parsed = ResponseParser.Parse("**a.py**\n```python\nsrc/x.cs:\n```\n```csharp\nclass X { }\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("a.py", file.Path);
        Assert.Single(parsed.Warnings);
    }

    [Fact]
    public void Info_string_path_wins_over_a_marker_and_a_label_with_a_warning()
    {
        var parsed = ResponseParser.Parse("**src/label.cs**\n```csharp path=src/info.cs\n// filepath: src/marker.cs\nclass X { }\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("src/info.cs", file.Path);
        Assert.Equal("class X { }\n", file.Content);
        Assert.Contains("names both 'src/info.cs' and 'src/marker.cs'", Assert.Single(parsed.Warnings), StringComparison.Ordinal);
        Assert.Equal("**src/label.cs**", parsed.Explanation);
    }

    [Fact]
    public void Keyword_marker_wins_over_a_label_and_a_label_over_a_bare_path_comment()
    {
        var keyword = ResponseParser.Parse("**src/label.cs**\n```csharp\n// filepath: src/marker.cs\nclass X { }\n```\n");
        var bare = ResponseParser.Parse("**src/label.cs**\n```csharp\n// src/comment.cs\nclass X { }\n```\n");

        Assert.Equal("src/marker.cs", Assert.Single(keyword.Files).Path);
        Assert.Equal("src/label.cs", Assert.Single(bare.Files).Path);
        Assert.Equal("// src/comment.cs\nclass X { }\n", Assert.Single(bare.Files).Content);
    }

    [Fact]
    public void Matching_label_and_marker_give_one_path_without_a_warning()
    {
        var parsed = ResponseParser.Parse("### `src/x.cs`\n\n```csharp\n// filepath: src/x.cs\nclass X { }\n```\n");

        var file = Assert.Single(parsed.Files);
        Assert.Equal("class X { }\n", file.Content);
        Assert.Empty(parsed.Warnings);
        Assert.Equal("", parsed.Explanation);
    }
}
