using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Cli;

/// <summary>The run's progress starts with the scan of the project folder (the library's <see cref="ScanningEvent"/> and
/// <see cref="ScannedEvent"/>), before the reply, the stages and the writing.</summary>
public sealed class ScanProgressTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Generate_ReportsTheScanAndThePlan_BeforeTheReplyAndTheWriting()
    {
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        _dir.Write("project/src/Existing.cs", "namespace X;\npublic static class Existing { }\n");
        var cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("generate", spec, "--mock-llm", "--project", _dir.Combine("project"), "--out", "out");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Error.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var scanning = lines.FindIndex(l => l == "scanning " + _dir.Combine("project"));
        var scanned = lines.FindIndex(l => l.StartsWith("scanned ", StringComparison.Ordinal) && l.Contains(" files for context, ", StringComparison.Ordinal));
        var planned = lines.FindIndex(l => l.StartsWith("planned ", StringComparison.Ordinal) && l.Contains(" prompt tokens: ", StringComparison.Ordinal) && l.Contains(" whole, ", StringComparison.Ordinal));
        var done = lines.FindIndex(l => l.StartsWith("mock/mock-1: done", StringComparison.Ordinal));
        var writing = lines.FindIndex(l => l.StartsWith("writing ", StringComparison.Ordinal));
        Assert.True(scanning >= 0 && scanning < scanned && scanned < planned && planned < done && done < writing, result.Error);
    }

    [Fact]
    public async Task WithJson_StderrHasNoProgressLines()
    {
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        _dir.Write("project/src/Existing.cs", "namespace X;\npublic static class Existing { }\n");
        var cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("generate", spec, "--mock-llm", "--dry-run", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("scanning", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("scanned", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("planned", result.Error, StringComparison.Ordinal);
    }
}
