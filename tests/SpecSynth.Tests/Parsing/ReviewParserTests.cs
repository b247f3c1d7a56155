using SpecSynth.Parsing;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Parsing;

public sealed class ReviewParserTests
{
    private static readonly Requirement[] Requirements =
    [
        new("FR-001", "Add items", "Requirements", 1),
        new("FR-002", "List items", "Requirements", 2),
        new(null, "Persist atomically", "Requirements", 3),
    ];

    [Fact]
    public void JsonBlock_IsMatchedToRequirementsByIdOrText_UnjudgedAreUnknown()
    {
        const string reply = """
            Here is my review.
            ```json
            {"summary": "Mostly there.",
             "requirements": [
               {"requirement": "FR-002: List items", "status": "partly", "evidence": "Program.cs:10"},
               {"requirement": "FR-001 Add items", "status": "met", "evidence": "Program.cs:4"}],
             "issues": [
               {"severity": "info", "location": "a.cs:1", "message": "nit"},
               {"severity": "ERROR", "location": "b.cs:2", "message": "bug"}]}
            ```
            """;
        var review = ReviewParser.Parse(reply, Requirements);

        Assert.Equal("Mostly there.", review.Summary);
        Assert.Equal([RequirementStatus.Met, RequirementStatus.Partly, RequirementStatus.Unknown], review.Requirements.Select(r => r.Status));
        Assert.Equal("FR-001: Add items", review.Requirements[0].Requirement);
        Assert.Equal("Program.cs:4", review.Requirements[0].Evidence);
        Assert.Equal(["error", "info"], review.Issues.Select(i => i.Severity));
    }

    [Fact]
    public void ReplyWithoutJson_IsUnusableOutput()
    {
        var ex = Assert.Throws<SpecSynthException>(() => ReviewParser.Parse("I think it is fine.", Requirements));
        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
    }
}
