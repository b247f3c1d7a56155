using SpecSynth.Benchmarks.Inputs;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>Large and repetitive specs parse correctly. Their speed is measured by bench/SpecSynth.Benchmarks,
/// not here.</summary>
public sealed class SpecParserLargeInputTests
{
    [Fact]
    public void A_100_KB_spec_parses_every_requirement()
    {
        Assert.True(SpecParser.Parse(LargeInputs.LargeSpec(100 * 1024)).Requirements.Count > 300);
    }

    [Theory]
    [InlineData("WHEN ", "a.b when if the ")]
    [InlineData("The ", "x ")]
    [InlineData("`", "src/")]
    [InlineData("- **FR-1**: ", "FR-2 a: ")]
    [InlineData("Language: ", "c c# .net react ")]
    public void Long_repetitive_lines_parse(string prefix, string unit)
    {
        var text = "# T\n\n## Requirements\n\n" + prefix + string.Concat(Enumerable.Repeat(unit, 200_000 / unit.Length)) + "\n";
        Assert.Equal("T", SpecParser.Parse(text).Title);
    }
}
