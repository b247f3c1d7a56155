using SpecSynth.Parsing;
using SpecSynth.Validation;

namespace SpecSynth.Tests.Validation;

public sealed class CheckCommandRunnerTests
{
    private static TempDir Project()
    {
        var dir = new TempDir();
        dir.Write("src/App.cs", "class App { }\n");
        dir.Write("bin/Debug/App.dll", "binary");
        dir.Write("obj/project.assets.json", "{}");
        dir.Write(".git/HEAD", "ref: refs/heads/main\n");
        dir.Write("web/node_modules/x/index.js", "module.exports = 1;\n");
        return dir;
    }

    [Fact]
    public async Task TheCommand_SeesTheProjectWithTheGeneratedFilesApplied_AndTheCopyIsDeleted()
    {
        using var project = Project();
        var runner = new CheckCommandRunner(TimeProvider.System);
        GeneratedFile[] files = [new("src/New.cs", "class New { } // MARKER\n", "csharp")];

        var result = await runner.RunAsync(project.Path, files,
            "pwd; find . -type f | sort; grep -q MARKER src/New.cs && test -f src/App.cs");

        Assert.True(result.Passed, result.Output);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.Contains("./src/New.cs", lines);
        Assert.Contains("./src/App.cs", lines);
        Assert.DoesNotContain(lines, l => l.Contains("/bin/", StringComparison.Ordinal) || l.Contains("/obj/", StringComparison.Ordinal)
            || l.Contains(".git", StringComparison.Ordinal) || l.Contains("node_modules", StringComparison.Ordinal));
        Assert.False(Directory.Exists(lines[0]), "the temporary copy was not deleted: " + lines[0]);
        Assert.False(File.Exists(project.Combine("src", "New.cs")), "the project itself must not be touched");
    }

    [Fact]
    public async Task AFailingCommand_FailsWithItsExitCodeAndOutput()
    {
        using var project = Project();

        var result = await new CheckCommandRunner(TimeProvider.System).RunAsync(project.Path, [new("a.txt", "x", null)], "echo building; echo 'error: nope' >&2; exit 7");

        Assert.False(result.Passed);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("building", result.Output, StringComparison.Ordinal);
        Assert.Contains("error: nope", result.Output, StringComparison.Ordinal);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task ACommandThatHangs_IsKilledAtTheTimeout_AndFails()
    {
        using var project = Project();
        var options = new CheckOptions { Timeout = TimeSpan.FromMilliseconds(300) };

        var result = await new CheckCommandRunner(TimeProvider.System).RunAsync(project.Path, [], "sleep 30", options);

        Assert.False(result.Passed);
        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ABackgroundChildHoldingTheOutputOpen_DoesNotHoldUpTheResult()
    {
        using var project = Project();
        var options = new CheckOptions { Timeout = TimeSpan.FromSeconds(20) };

        // Like a build server left running by `dotnet build`: it inherits stdout and outlives the command.
        var result = await new CheckCommandRunner(TimeProvider.System).RunAsync(project.Path, [], "(sleep 15 &); echo built; exit 0", options);

        Assert.True(result.Passed, result.Output);
        Assert.False(result.TimedOut);
        Assert.Contains("built", result.Output, StringComparison.Ordinal);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
    }

    [Fact]
    public async Task LongOutput_IsCapped_KeepingTheEnd()
    {
        using var project = Project();
        var options = new CheckOptions { MaxOutputChars = 2000 };

        var result = await new CheckCommandRunner(TimeProvider.System).RunAsync(project.Path, [], "seq 1 5000; echo THE-END", options);

        Assert.True(result.Output.Length < 2200, $"{result.Output.Length} characters kept");
        Assert.Contains("characters cut", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("1\n2\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("THE-END\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnsafeGeneratedPath_IsRefused_BeforeTheCommandRuns()
    {
        using var project = Project();
        var marker = project.Combine("ran.txt");

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() =>
            new CheckCommandRunner(TimeProvider.System).RunAsync(project.Path, [new("../escape.txt", "x", null)], $"touch '{marker}'"));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task AFolderThatDoesNotExistYet_IsCheckedWithTheGeneratedFilesAlone()
    {
        using var dir = new TempDir();

        var result = await new CheckCommandRunner(TimeProvider.System).RunAsync(dir.Combine("new-output"),
            [new SpecSynth.Parsing.GeneratedFile("a.txt", "hello\n", null)], "test \"$(ls)\" = a.txt && grep -q hello a.txt");

        Assert.True(result.Passed, result.Output);
        Assert.False(Directory.Exists(dir.Combine("new-output")));
    }
}
