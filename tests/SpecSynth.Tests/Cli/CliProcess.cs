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

    /// <summary>Runs the CLI in <paramref name="workDir"/> with <paramref name="env"/> added to this process's environment and
    /// the variables of <paramref name="unset"/> removed from it.</summary>
    public static async Task<CliResult> RunAsync(string workDir, IReadOnlyDictionary<string, string> env, IEnumerable<string> args,
        IEnumerable<string>? unset = null)
    {
        using var running = Start(workDir, env, args, unset);
        return await running.WaitAsync(TimeSpan.FromSeconds(180));
    }

    /// <summary>Starts the CLI and returns at once, so a test can signal it while it works.</summary>
    public static RunningCli Start(string workDir, IReadOnlyDictionary<string, string> env, IEnumerable<string> args,
        IEnumerable<string>? unset = null)
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
        foreach (var name in unset ?? [])
        {
            psi.Environment.Remove(name);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        return new RunningCli(Process.Start(psi)!);
    }
}

/// <summary>A CLI child process: its output is read as it comes; <see cref="Signal"/> sends it a real POSIX signal.</summary>
internal sealed class RunningCli : IDisposable
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public RunningCli(Process process)
    {
        Process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public Process Process { get; }

    /// <summary>Sends <paramref name="signal"/> (a number) with <c>kill(1)</c>.</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await Process.WaitForExitAsync(cancel.Token);
        return new CliResult(Process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Whether <paramref name="pid"/> is a live process (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
        Process.Dispose();
    }
}
