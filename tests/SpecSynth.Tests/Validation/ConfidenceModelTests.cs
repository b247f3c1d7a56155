using SpecSynth.Parsing;
using SpecSynth.Validation;
using SpecSynth.Generation.Repair;

namespace SpecSynth.Tests.Validation;

public sealed class ConfidenceModelTests
{
    private static readonly ConfidenceEvidence AllGood = new()
    {
        StopReason = "stop",
        Files = 3,
        SyntaxValid = 3,
        Check = CheckOutcome.Passed,
    };

    [Fact]
    public void EverythingVerified_IsFullConfidence()
    {
        var score = ConfidenceModel.Compute(AllGood);

        Assert.Equal(1.0, score.Value);
        Assert.Equal(
            ["stop reason 'stop': x1", "3 files complete: x1", "syntax: 3 valid, 0 invalid, 0 unvalidated: x1", "check command passed: x1"],
            score.Evidence);
    }

    [Fact]
    public void TheDocumentedExample_Gives084()
    {
        var score = ConfidenceModel.Compute(new ConfidenceEvidence { Files = 3, SyntaxValid = 2, SyntaxUnvalidated = 1 });

        Assert.Equal(0.84, score.Value);
        Assert.Contains("syntax: 2 valid, 0 invalid, 1 unvalidated: x0.933", score.Evidence);
        Assert.Contains("check command not run: x0.9", score.Evidence);
    }

    [Theory]
    [InlineData("length", 0.5)]
    [InlineData("content_filter", 0.3)]
    [InlineData("tool_calls", 0.8)]
    public void StopReason_ScalesTheValue(string stopReason, double expected)
    {
        Assert.Equal(expected, ConfidenceModel.Compute(AllGood with { StopReason = stopReason }).Value);
    }

    [Fact]
    public void AnIncompleteFile_MakesItZero()
    {
        var score = ConfidenceModel.Compute(AllGood with { IncompleteFiles = 1 });

        Assert.Equal(0, score.Value);
        Assert.Contains("1 of 3 files incomplete: x0", score.Evidence);
    }

    [Fact]
    public void InvalidSyntax_FailedCheck_RepairsAndWarnings_Multiply()
    {
        // 1 x 0.9 (warnings) x 0.3 (invalid) x 0.4 (check failed) x 0.95^2 (two rounds) = 0.0975 -> 0.097
        var score = ConfidenceModel.Compute(AllGood with
        {
            ParserWarnings = 2,
            SyntaxValid = 2,
            SyntaxInvalid = 1,
            Check = CheckOutcome.Failed,
            RepairRounds = 2,
        });

        Assert.Equal(0.097, score.Value);
        Assert.Contains("2 repair round(s): x0.903", score.Evidence);
        Assert.Contains("check command failed: x0.4", score.Evidence);
    }

    [Fact]
    public void NothingValidated_AndNoCheck_Gives072()
    {
        Assert.Equal(0.72, ConfidenceModel.Compute(new ConfidenceEvidence { Files = 2, SyntaxUnvalidated = 2 }).Value);
    }

    [Theory]
    [InlineData(4, 0, 0, 1.0)]
    [InlineData(0, 0, 4, 0.5)]
    [InlineData(2, 2, 0, 0.875)]
    [InlineData(1, 1, 2, 0.688)]
    public void SelfReview_ScalesByMetRequirements(int met, int partly, int notMet, double expected)
    {
        Assert.Equal(expected, ConfidenceModel.Compute(AllGood with { Review = new ReviewCounts(met, partly, notMet) }).Value);
    }

    [Fact]
    public void Evidence_CanBeTakenFromValidationAndReview()
    {
        FileValidation[] validation =
        [
            new("a.cs", ValidationStatus.Valid, "roslyn", []),
            new("b.go", ValidationStatus.CheckerMissing, "external: go", []),
            new("c.ts", ValidationStatus.Unvalidated, null, []),
            new("d.json", ValidationStatus.Invalid, "json", []),
        ];
        var review = new CodeReview
        {
            Requirements = [new("R1", RequirementStatus.Met, ""), new("R2", RequirementStatus.Unknown, ""), new("R3", RequirementStatus.NotMet, "")],
            Issues = [],
        };

        var evidence = new ConfidenceEvidence { Files = 4 }.WithValidation(validation) with { Review = ReviewCounts.From(review) };

        Assert.Equal((1, 1, 2), (evidence.SyntaxValid, evidence.SyntaxInvalid, evidence.SyntaxUnvalidated));
        Assert.Equal(new ReviewCounts(1, 0, 1), evidence.Review);
    }

    [Fact]
    public void Evidence_CanBeTakenFromARepairResult()
    {
        var check = new CheckResult("make", true, 0, "", false, TimeSpan.Zero);
        RepairRound[] rounds =
        [
            new(0, [new("a.cs", ValidationStatus.Invalid, "roslyn", [])], null, [], [], null, TokenUsage.Zero),
            new(1, [new("a.cs", ValidationStatus.Valid, "roslyn", []), new("b.go", ValidationStatus.Unvalidated, null, [])], check,
                ["a.cs", "b.go"], [], "stop", TokenUsage.Zero),
        ];
        var repair = new RepairResult([new("a.cs", "", null), new("b.go", "", null)], rounds, Valid: true);

        var evidence = new ConfidenceEvidence { Files = 1 }.WithRepair(repair.Validation, repair.Check, repair.RoundsUsed, repair.Files.Count);

        Assert.Equal((2, 1, 0, 1, CheckOutcome.Passed, 1), (evidence.Files, evidence.SyntaxValid, evidence.SyntaxInvalid,
            evidence.SyntaxUnvalidated, evidence.Check, evidence.RepairRounds));
        // 1 x 1 x (1 - 0.2 / 2) x 1 x 0.95 = 0.855
        Assert.Equal(0.855, ConfidenceModel.Compute(evidence).Value);
    }
}
