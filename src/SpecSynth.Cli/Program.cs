using SpecSynth.Cli;

// Before anything runs on the thread pool.
ThreadPoolSpinning.ChooseFor(args);
// Ctrl+C, SIGTERM and SIGHUP cancel the run cleanly (exit 130, 143, 129; a write in progress is rolled back); a second
// one of the same kind kills the process.
using var interruption = Interruption.FromProcess();
var exitCode = await CliApp.RunAsync(args, CliHost.FromProcess() with { InterruptedExitCode = () => interruption.ExitCode },
    interruption.Token).ConfigureAwait(false);
if (Environment.GetEnvironmentVariable("SPECSYNTH_TRACE_ASSEMBLIES") == "1")
{
    // Lets tests and benchmarks check that a command kept the provider SDKs, Roslyn and the tokenizer unloaded.
    foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
    {
        await Console.Error.WriteLineAsync("loaded: " + assembly.GetName().Name).ConfigureAwait(false);
    }
}
return exitCode;
