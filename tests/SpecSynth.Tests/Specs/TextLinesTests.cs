using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary><see cref="TextLines"/>: lines cut at '\n' with a '\r' before it dropped, as the spec readers number them.</summary>
public sealed class TextLinesTests
{
    [Theory]
    [InlineData("", new[] { "" })]
    [InlineData("one", new[] { "one" })]
    [InlineData("one\n", new[] { "one", "" })]
    [InlineData("one\r\ntwo\n\nfour", new[] { "one", "two", "", "four" })]
    [InlineData("a\rb\r\n", new[] { "a\rb", "" })] // a lone '\r' is not a line break (as Markdig's line numbers after '\n')
    public void Cuts_the_text_at_each_newline(string text, string[] expected)
    {
        var lines = new List<string>();
        var cut = new TextLines(text);
        while (cut.TryNext(out var line))
        {
            lines.Add(line.ToString());
        }
        Assert.Equal(expected, lines);
        Assert.False(cut.TryNext(out _));
    }

    [Fact]
    public void A_TODO_warning_quotes_its_own_line()
    {
        var spec = SpecParser.Parse("# Orders\n\nThe service keeps orders. TODO: decide the currency.\n\n## Requirements\n\n- It MUST store orders.\n", "orders.md");
        var todo = Assert.Single(spec.Warnings, w => w.Code == "todo");
        Assert.Contains("decide the currency", todo.Message);
        Assert.Equal(3, todo.Line);
    }
}
