using SpecSynth.Benchmarks.Inputs;
using SpecSynth.Parsing;

namespace SpecSynth.Tests.Parsing;

/// <summary>Large and adversarial replies parse correctly. Their speed is measured by bench/SpecSynth.Benchmarks,
/// not here.</summary>
public sealed class ResponseParserLargeInputTests
{
    [Fact]
    public void One_megabyte_reply_with_thousands_of_files_parses_every_file()
    {
        var reply = LargeInputs.LargeReply(out var count);

        var parsed = ResponseParser.Parse(reply);

        Assert.Equal(count, parsed.Files.Count);
        Assert.Empty(parsed.Warnings);
        Assert.Equal($"src/Handlers/Handler{count - 1}.cs", parsed.Files[^1].Path);
    }

    public static TheoryData<string> Pathological => new(LargeInputs.PathologicalShapes);

    [Theory]
    [MemberData(nameof(Pathological))]
    public void Pathological_one_megabyte_reply_parses_with_bounded_warnings(string shape)
    {
        var parsed = ResponseParser.Parse(LargeInputs.PathologicalReply(shape));

        Assert.True(parsed.Warnings.Count <= 4 * (WarningList.PerKind + 1), $"{parsed.Warnings.Count} warnings");
    }
}
