using SpecSynth.Parsing;
using SpecSynth.Validation;

namespace SpecSynth.Tests.Validation;

public sealed class ExternalCheckerTests
{
    private static CodeValidator With(params (string Key, string Command)[] checkers) => new(TimeProvider.System, new ValidationOptions
    {
        ExternalCheckers = checkers.ToDictionary(c => c.Key, c => c.Command, StringComparer.OrdinalIgnoreCase),
        CheckerTimeout = TimeSpan.FromSeconds(20),
    });

    /// <summary>A checker script: fails with <c>file:line:col: message</c> when the file contains BROKEN.</summary>
    private static string FakeChecker(TempDir dir, string body)
    {
        var script = dir.Write("checker.sh", "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }

    [Fact]
    public async Task ACheckerWhoseExecutableIsMissing_ReportsCheckerMissing_AndGoesOn()
    {
        var validator = With(("go", "no-such-checker-3f9a vet {file}"));

        var results = await validator.ValidateAsync([new GeneratedFile("main.go", "package main", "go"), new GeneratedFile("a.json", "{}", null)]);

        Assert.Equal(ValidationStatus.CheckerMissing, results[0].Status);
        Assert.Equal("external: no-such-checker-3f9a", results[0].Validator);
        Assert.Contains("not installed", Assert.Single(results[0].Diagnostics).Message, StringComparison.Ordinal);
        Assert.Equal(ValidationStatus.Valid, results[1].Status);
    }

    [Fact]
    public async Task ACheckerThatFails_GivesInvalid_WithTheParsedLineAndColumn()
    {
        using var dir = new TempDir();
        var script = FakeChecker(dir, "grep -n BROKEN \"$1\" | sed \"s|^\\([0-9]*\\):.*|$1:\\1:7: found a broken marker|\" | grep . && exit 1\nexit 0");
        var validator = With(("typescript", $"'{script}' {{file}}"));

        var broken = await validator.ValidateFileAsync(new GeneratedFile("src/index.ts", "let a = 1;\nlet b = BROKEN;\n", null));
        var fine = await validator.ValidateFileAsync(new GeneratedFile("src/index.ts", "let a = 1;\n", null));

        Assert.Equal(ValidationStatus.Invalid, broken.Status);
        var d = Assert.Single(broken.Diagnostics);
        Assert.Equal(("src/index.ts", 2, 7, "found a broken marker", Diagnostic.Error), (d.Path, d.Line, d.Column, d.Message, d.Severity));
        Assert.Equal(ValidationStatus.Valid, fine.Status);
        Assert.Equal("external: " + script, fine.Validator);
    }

    [Fact]
    public async Task TscStyleOutput_GivesOneDiagnosticPerLine_NamingTheFile()
    {
        using var dir = new TempDir();
        var script = FakeChecker(dir, "echo \"$1(3,5): error TS2322: Type 'string' is not assignable.\"\n" +
            "echo \"$1(9,1): warning TS6133: 'x' is declared but never used.\"\necho 'Found 2 errors.'\nexit 2");
        var validator = With(("typescript", script + " {file}"));

        var result = await validator.ValidateFileAsync(new GeneratedFile("src/app.ts", "let a: number = 'x';", null));

        Assert.Equal(ValidationStatus.Invalid, result.Status);
        Assert.Equal(
            [("src/app.ts", 3, 5, Diagnostic.Error), ("src/app.ts", 9, 1, Diagnostic.Warning)],
            result.Diagnostics.Select(d => (d.Path, d.Line, d.Column, d.Severity)));
        Assert.StartsWith("error TS2322", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckerWithUnstructuredOutput_GivesOneDiagnosticWithTheWholeOutput()
    {
        using var dir = new TempDir();
        var script = FakeChecker(dir, "echo 'something went wrong'\necho 'near line 12 of the file'\nexit 3");
        var validator = With((".go", script));

        var result = await validator.ValidateFileAsync(new GeneratedFile("cmd/main.go", "package main", null));

        Assert.Equal(ValidationStatus.Invalid, result.Status);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((12, 0), (d.Line, d.Column));
        Assert.Equal("something went wrong\nnear line 12 of the file", d.Message);
    }

    [Fact]
    public async Task ACheckerThatHangs_IsKilled_AndTheFileIsUnvalidated()
    {
        using var dir = new TempDir();
        var script = FakeChecker(dir, "sleep 30");
        var validator = new CodeValidator(TimeProvider.System, new ValidationOptions
        {
            ExternalCheckers = new Dictionary<string, string> { ["go"] = script },
            CheckerTimeout = TimeSpan.FromMilliseconds(300),
        });

        var started = DateTime.UtcNow;
        var result = await validator.ValidateFileAsync(new GeneratedFile("main.go", "package main", null));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal(ValidationStatus.Unvalidated, result.Status);
        Assert.Contains("did not finish", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckerRuns_OnATemporaryCopy_NotOnTheOutputFolder()
    {
        using var dir = new TempDir();
        var log = dir.Combine("seen.txt");
        var script = FakeChecker(dir, $"echo \"$1\" > '{log}'\ncat \"$1\" >> '{log}'\nexit 0");
        var validator = With(("python", script + " {file}"));

        var result = await validator.ValidateFileAsync(new GeneratedFile("pkg/app.py", "print('hi')\n", null));

        Assert.Equal(ValidationStatus.Valid, result.Status);
        var seen = File.ReadAllLines(log);
        Assert.EndsWith("/app.py", seen[0], StringComparison.Ordinal);
        Assert.DoesNotContain("pkg/", seen[0], StringComparison.Ordinal);
        Assert.False(File.Exists(seen[0]));
        Assert.Equal("print('hi')", seen[1]);
    }

    [Fact]
    public async Task PythonPyCompile_WhenPresent_GivesInvalidWithTheLine()
    {
        if (global::SpecSynth.Validation.CommandLine.Find("python3") is null)
        {
            return; // python3 is not on this machine; the fake checker tests above cover the mechanism.
        }
        var validator = With(("python", "python3 -m py_compile {file}"));

        var broken = await validator.ValidateFileAsync(new GeneratedFile("app/main.py", "def f():\n    return 1\n\ndef g(:\n    pass\n", null));
        var fine = await validator.ValidateFileAsync(new GeneratedFile("app/main.py", "def f():\n    return 1\n", null));

        Assert.Equal(ValidationStatus.Invalid, broken.Status);
        Assert.Equal(4, broken.Diagnostics[0].Line);
        Assert.Contains("app/main.py", broken.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Equal(ValidationStatus.Valid, fine.Status);
    }

    [Theory]
    [InlineData("python3 -m py_compile {file}", new[] { "python3", "-m", "py_compile", "{file}" })]
    [InlineData("'my checker' --flag=\"a b\" x\\y", new[] { "my checker", "--flag=a b", "x\\y" })]
    [InlineData("  tsc   --noEmit  ", new[] { "tsc", "--noEmit" })]
    [InlineData("a \"q\\\"uote\" ''", new[] { "a", "q\"uote", "" })]
    public void CommandLine_SplitsLikeAShell(string command, string[] words)
    {
        Assert.Equal(words, global::SpecSynth.Validation.CommandLine.Split(command));
    }
}
