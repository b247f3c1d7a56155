using System.Reflection;
using SpecSynth.Cli;

// `specsynth --version` alone prints what the parser's version option prints (the entry assembly's informational version)
// without loading the parser, the library, signal handling or the thread pool's set-up: the start-up benchmark's command.
if (args is ["--version"])
{
    Console.Out.WriteLine(typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString());
    await TraceAssembliesAsync().ConfigureAwait(false);
    return 0;
}
// Before anything runs on the thread pool.
ThreadPoolSpinning.ChooseFor(args);
BackgroundIndexBuilds.LowerPriorityFor(args);
// Ctrl+C, SIGTERM and SIGHUP cancel the run cleanly (exit 130, 143, 129; a write in progress is rolled back); a second
// one of the same kind kills the process.
using var interruption = Interruption.FromProcess();
// A context index a run found missing is built after it has answered, by a detached child (BackgroundIndexBuilds).
var indexBuilds = new BackgroundIndexBuilds();
var exitCode = await CliApp.RunAsync(args, CliHost.FromProcess() with
{
    InterruptedExitCode = () => interruption.ExitCode,
    IndexBuilds = indexBuilds,
}, interruption.Token).ConfigureAwait(false);
if (!interruption.Token.IsCancellationRequested)
{
    await Console.Out.FlushAsync().ConfigureAwait(false);
    indexBuilds.Start();
}
await TraceAssembliesAsync().ConfigureAwait(false);
return exitCode;

static async Task TraceAssembliesAsync()
{
    if (Environment.GetEnvironmentVariable("SPECSYNTH_TRACE_ASSEMBLIES") == "1")
    {
        // Lets tests and benchmarks check that a command kept the provider SDKs, Roslyn and the tokenizer unloaded.
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            await Console.Error.WriteLineAsync("loaded: " + assembly.GetName().Name).ConfigureAwait(false);
        }
    }
}
