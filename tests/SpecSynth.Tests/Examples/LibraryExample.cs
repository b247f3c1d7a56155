using System.Diagnostics;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Examples;

/// <summary>
/// examples/library built against the <c>SpecSynth</c> package, as a user builds it: the one CI built
/// (<c>SPECSYNTH_LIBRARY_EXAMPLE</c>, the path of its <c>LibraryExample.dll</c>, set by <c>.ci/run</c> after it packs the
/// solution into artifacts/packages), or else one built here: the library packed into a temporary feed and the example
/// copied beside it (the same relative layout, so its nuget.config is the one used) and built from there. Building
/// takes a minute or two; it happens once per test run.
/// </summary>
public sealed class LibraryExample : IAsyncLifetime
{
    public const string BuiltByCi = "SPECSYNTH_LIBRARY_EXAMPLE";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly TempDir _root = new();

    /// <summary>The example's built assembly, run with <c>dotnet</c>.</summary>
    public string Dll { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var built = Environment.GetEnvironmentVariable(BuiltByCi);
        if (!string.IsNullOrEmpty(built))
        {
            Dll = Path.GetFullPath(built, TestPaths.RepoRoot);
            Assert.True(File.Exists(Dll), $"{BuiltByCi} names {Dll}, which does not exist");
            return;
        }
        var feed = _root.Combine("artifacts", "packages");
        var example = _root.Combine("examples", "library");
        await RunDotnetAsync(TestPaths.RepoRoot, "pack", Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth", "SpecSynth.csproj"),
            "-c", "Release", "-o", feed, "-nologo", "-v", "q");
        CopySources(Path.Combine(TestPaths.RepoRoot, "examples", "library"), example);
        await RunDotnetAsync(example, "build", "-c", "Release", "-nologo", "-v", "q");
        Dll = Path.Combine(example, "bin", "Release", "net10.0", "LibraryExample.dll");
        Assert.True(File.Exists(Dll), "the example built, but not to " + Dll);
    }

    /// <summary>Runs the example in <paramref name="workDir"/> with <paramref name="env"/> added to this process's environment.</summary>
    public async Task<Run> RunAsync(string workDir, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        using var running = new RunningCli(Process.Start(psi)!);
        var result = await running.WaitAsync(TimeSpan.FromMinutes(2));
        return new Run(result.ExitCode, result.Out, result.Error);
    }

    /// <summary>How a run of the example ended.</summary>
    public sealed record Run(int ExitCode, string Out, string Error);

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task RunDotnetAsync(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        // A build started from inside a test run must not inherit the test host's MSBuild settings.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            psi.Environment.Remove(name);
        }
        using var running = new RunningCli(Process.Start(psi)!);
        var result = await running.WaitAsync(BuildTimeout);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.Out}\n{result.Error}");
    }
}
