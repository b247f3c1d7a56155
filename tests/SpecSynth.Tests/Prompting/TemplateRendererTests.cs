using SpecSynth.Prompting;

namespace SpecSynth.Tests.Prompting;

public sealed class TemplateRendererTests
{
    [Fact]
    public void ReplacesKnownPlaceholdersOnce_LeavesUnknownOnes()
    {
        var values = new Dictionary<string, string> { ["a"] = "{{b}}", ["b"] = "B" };
        Assert.Equal("x {{b}} y B {{c}} {{", TemplateRenderer.Render("x {{a}} y {{ b }} {{c}} {{", values));
    }
}
