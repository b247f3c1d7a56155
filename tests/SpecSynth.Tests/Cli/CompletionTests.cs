using System.Diagnostics;
using SpecSynth.Cli;
using SpecSynth.Cli.Commands;

namespace SpecSynth.Tests.Cli;

/// <summary><c>specsynth completion bash|zsh|pwsh</c> and the suggest directive its scripts call back: in-process, and the
/// bash script sourced in a real bash that calls the built <c>specsynth</c> executable.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("specsynth gen", "generate")]
    [InlineData("specsynth ", "completion")]
    [InlineData("specsynth generate --dr", "--dry-run")]
    [InlineData("specsynth completion ", "zsh")]
    public void Complete_SuggestsCommandsOptionsAndValues(string line, string expected)
    {
        var root = CliApp.BuildRoot(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, _dir.Path, false, TimeProvider.System));

        var completions = CompletionCommand.Complete(root, line, line.Length);

        Assert.Contains(expected, completions);
    }

    [Fact]
    public void Complete_OnlyWhatMatchesTheWordBeingTyped()
    {
        var root = CliApp.BuildRoot(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, _dir.Path, false, TimeProvider.System));

        var completions = CompletionCommand.Complete(root, "specsynth gen", 13);

        Assert.Equal(["generate"], completions);
    }

    [Fact]
    public async Task SuggestDirective_PrintsOneCompletionALine_AndNothingElse()
    {
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("[suggest:21]", "specsynth undo --for");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("--force" + Environment.NewLine, result.Out);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _specsynth_complete specsynth")]
    [InlineData("zsh", "compdef _specsynth_complete specsynth")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName specsynth")]
    public async Task Completion_PrintsTheShellsScript(string shell, string expected)
    {
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_OfAnUnknownShell_IsBadInput()
    {
        var cli = new CliRunner(_dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });

        var result = await cli.RunAsync("completion", "fish");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
    }

    [Theory]
    [InlineData("specsynth gen", "generate")]
    [InlineData("specsynth generate --dry", "--dry-run")]
    [InlineData("specsynth history ", "show")]
    public async Task BashScript_CompletesThroughTheBuiltExecutable(string line, string expected)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var bin = Path.GetDirectoryName(CliProcess.Dll)!;
        Assert.True(File.Exists(Path.Combine(bin, "specsynth")), "the build names its executable specsynth: " + bin);
        var script = _dir.Write("specsynth.bash", (await new CliRunner(_dir.Path).RunAsync("completion", "bash")).Out);
        var words = line.Split(' ');
        var driver = $"""
            source '{script}'
            COMP_LINE='{line}'
            COMP_POINT={line.Length}
            COMP_WORDS=({string.Join(' ', words.Select(w => $"'{w}'"))})
            COMP_CWORD={words.Length - 1}
            _specsynth_complete
            printf '%s\n' "${'{'}COMPREPLY[@]{'}'}"
            """;
        var psi = new ProcessStartInfo("bash", ["--norc", "--noprofile", "-c", driver])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["SPECSYNTH_HOME"] = _dir.Combine("state");
        using var bash = Process.Start(psi)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(timeout.Token);

        var completions = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(completions.Contains(expected), $"completions of '{line}': [{string.Join(", ", completions)}]; stderr: {await stderr}");
    }
}
