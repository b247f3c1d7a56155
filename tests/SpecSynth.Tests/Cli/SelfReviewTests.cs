using System.Text.Json;

namespace SpecSynth.Tests.Cli;

public sealed class SelfReviewTests
{
    [Fact]
    public async Task SelfReview_AddsTheVerdictsToTheConfidenceEvidence()
    {
        using var dir = new TempDir();
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        var spec = Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md");

        var plain = await cli.RunAsync("generate", spec, "--mock-llm", "--dry-run", "--json");
        var reviewed = await cli.RunAsync("generate", spec, "--mock-llm", "--dry-run", "--json", "--self-review");

        Assert.Equal(0, reviewed.ExitCode);
        using var a = JsonDocument.Parse(plain.Out);
        using var b = JsonDocument.Parse(reviewed.Out);
        Assert.Equal(JsonValueKind.Null, a.RootElement.GetProperty("review").ValueKind);
        Assert.Equal(8, b.RootElement.GetProperty("review").GetProperty("requirements").GetArrayLength()); // 2 goals + FR-001..006
        Assert.Contains(b.RootElement.GetProperty("confidence_evidence").EnumerateArray(), e => e.GetString()!.Contains("review", StringComparison.OrdinalIgnoreCase));
        Assert.True(b.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64() > a.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64());
    }
}
