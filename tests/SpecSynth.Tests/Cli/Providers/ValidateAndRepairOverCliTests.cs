using System.Text.Json;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary><c>generate</c> checks what the model wrote: syntax validation, repair rounds, <c>--check</c>,
/// <c>--write-invalid</c>, missing external checkers and confidence from the evidence, end to end over a provider.</summary>
public sealed class ValidateAndRepairOverCliTests
{
    private const string Broken = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\"\n";
    private const string Fixed = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\"; // FIXED\n}\n";

    private static string Reply(string content) => "```csharp\n// filepath: src/Greeter.cs\n" + content + "```\n";

    [Fact]
    public async Task BrokenCSharp_IsRepairedOnTheSecondRound_AndTheEvidenceSaysSo()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(Reply(Broken), stream: true));
        h.Server.Enqueue(h.Case.Reply(Reply(Fixed), stream: true));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Contains("src/Greeter.cs", h.Case.UserPrompt(h.ChatRequests[1].Json) + JsonSerializer.Serialize(h.ChatRequests[1].Json), StringComparison.Ordinal);
        Assert.Equal(Fixed, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
        using var doc = JsonDocument.Parse(result.Out);
        var repair = doc.RootElement.GetProperty("repair");
        Assert.True(repair.GetProperty("valid").GetBoolean());
        Assert.Equal(1, repair.GetProperty("rounds_used").GetInt32());
        Assert.NotEmpty(repair.GetProperty("rounds")[0].GetProperty("diagnostics").EnumerateArray());
        var file = Assert.Single(doc.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal("valid", file.GetProperty("validation").GetProperty("status").GetString());
        Assert.Contains(doc.RootElement.GetProperty("confidence_evidence").EnumerateArray(), e => e.GetString()!.Contains("repair", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task NeverRepaired_IsExit5_WritingNothing_UnlessWriteInvalid()
    {
        await using var h = await CliHarness.StartAsync("claude");
        for (var i = 0; i < 3; i++)
        {
            h.Server.Enqueue(h.Case.Reply(Reply(Broken), stream: true));
        }

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("still invalid after 2 repair rounds", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, h.ChatRequests.Count);
        Assert.False(Directory.Exists(h.Out));

        h.Server.Enqueue(h.Case.Reply(Reply(Broken), stream: true));
        var forced = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--repair-rounds", "0", "--write-invalid");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("warning: writing files that are still invalid", forced.Error, StringComparison.Ordinal);
        Assert.Equal(Broken, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
    }

    [Fact]
    public async Task CheckCommand_FailsThenPasses_AfterARepair()
    {
        const string valid = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => name;\n}\n";
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(Reply(valid), stream: true));
        h.Server.Enqueue(h.Case.Reply(Reply(Fixed), stream: true));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json", "--check", "grep -q FIXED src/Greeter.cs");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var rounds = doc.RootElement.GetProperty("repair").GetProperty("rounds").EnumerateArray().ToList();
        Assert.False(rounds[0].GetProperty("check").GetProperty("passed").GetBoolean());
        Assert.True(rounds[1].GetProperty("check").GetProperty("passed").GetBoolean());
        Assert.Equal(Fixed, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
    }

    [Fact]
    public async Task CheckOutput_InJson_IsRedacted()
    {
        const string valid = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => name;\n}\n";
        const string token = "ghp_" + "Q2x5b3VkU2VjcmV0VG9rZW5WYWx1ZTEyMzQ1Ng";
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(Reply(valid), stream: true));

        // A check that prints a secret (a build echoing its environment, say) and fails, with no repair round.
        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json", "--repair-rounds", "0", "--write-invalid",
            "--check", $"echo GITHUB_TOKEN={token}; exit 1");

        Assert.DoesNotContain(token, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        var check = doc.RootElement.GetProperty("repair").GetProperty("rounds")[0].GetProperty("check");
        Assert.False(check.GetProperty("passed").GetBoolean());
        Assert.Contains("[REDACTED]", check.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredCheckerThatIsNotInstalled_IsReported_NotFatal()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Configure("[retry]\nmax_attempts = 1\n\n[validate]\npython = \"specsynth-no-such-checker {file}\"\n");
        h.Server.Enqueue(h.Case.Reply("```python\n# filepath: app.py\nprint('hi')\n```\n", stream: true));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var validation = Assert.Single(doc.RootElement.GetProperty("files").EnumerateArray()).GetProperty("validation");
        Assert.Equal("checker_missing", validation.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(h.Out, "app.py")));
    }
}
