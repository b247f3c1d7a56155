using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Cli;

/// <summary>Every command, on a terminal under <c>NO_COLOR</c> or <c>--no-color</c>, and on a non-terminal: not one escape
/// code (no colour, no bold, no cursor control) on stdout or stderr.</summary>
public sealed class NoEscapeCodesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Runs()
    {
        string[] commands = ["--help", "--version", "config show", "usage", "history", "context", "generate", "generate-check", "generate-failing",
            "explain", "review", "completion", "undo"];
        var data = new TheoryData<string, string>();
        foreach (var command in commands)
        {
            data.Add(command, "NO_COLOR");
            data.Add(command, "--no-color");
            data.Add(command, "not a terminal");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Command_PrintsNoEscapeCode(string command, string how)
    {
        var project = _dir.Combine("project");
        Directory.CreateDirectory(project);
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var code = _dir.Write("project/src/Greeter.cs", ModelAnswers.GreeterFile);
        var cli = new CliRunner(project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state"), ["HOME"] = _dir.Combine("user") })
        {
            ErrorIsTerminal = how != "not a terminal",
        };
        if (how == "NO_COLOR")
        {
            cli.Env["NO_COLOR"] = "1";
        }
        if (command is "usage" or "history" or "undo")
        {
            // A run first, so they have something to show.
            Assert.Equal(0, (await cli.RunAsync("generate", spec, "--mock-llm", "--out", "first", "--no-color")).ExitCode);
        }
        string[] args = command switch
        {
            "context" => ["context", spec, "--mock-llm"],
            "generate" => ["generate", spec, "--mock-llm", "--out", "out"],
            "generate-check" => ["generate", spec, "--mock-llm", "--out", "out", "--check", "echo checking && exit 3"],
            "generate-failing" => ["generate", _dir.Combine("project/missing.md"), "--mock-llm"],
            "explain" => ["explain", code, "--mock-llm"],
            "review" => ["review", code, "--spec", spec, "--mock-llm"],
            "completion" => ["completion", "bash"],
            _ => command.Split(' '),
        };
        if (how == "--no-color")
        {
            args = [.. args, "--no-color"];
        }

        var result = await cli.RunAsync(args);

        Assert.True(result.Out.Length + result.Error.Length > 0, "the command printed something");
        Assert.False(result.Out.Contains('\u001b', StringComparison.Ordinal), $"stdout of {string.Join(' ', args)}: {result.Out}");
        Assert.False(result.Error.Contains('\u001b', StringComparison.Ordinal), $"stderr of {string.Join(' ', args)}: {result.Error}");
    }

    [Fact]
    public async Task Terminal_WithoutNoColor_StillGetsTheLiveDisplay()
    {
        var spec = _dir.Write("project/spec.md", ModelAnswers.Spec);
        var cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") })
        {
            ErrorIsTerminal = true,
        };

        var result = await cli.RunAsync("generate", spec, "--mock-llm", "--out", "out");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains('\u001b', result.Error);
    }
}
