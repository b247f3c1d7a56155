using System.Diagnostics;

namespace SpecSynth.Tests.Cli;

/// <summary>Runs the built CLI as a real child process (<c>dotnet SpecSynth.Cli.dll …</c>), for tests of several
/// processes sharing one state folder.</summary>
internal static class CliProcess
{
    /// <summary>The CLI assembly built beside the tests (same configuration and target framework).</summary>
    public static string Dll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var dll = Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth.Cli", "bin", tfm.Parent!.Name, tfm.Name, "SpecSynth.Cli.dll");
            Assert.True(File.Exists(dll), "build the solution first: " + dll);
            return dll;
        }
    }

    /// <summary>Runs the CLI in <paramref name="workDir"/> with <paramref name="env"/> added to this process's environment.</summary>
    public static async Task<CliResult> RunAsync(string workDir, IReadOnlyDictionary<string, string> env, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
