using SpecSynth.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the run cleanly (exit 130, nothing written); a second one kills the process.
    e.Cancel = !cts.IsCancellationRequested;
    cts.Cancel();
};
var exitCode = await CliApp.RunAsync(args, CliHost.FromProcess(), cts.Token).ConfigureAwait(false);
if (Environment.GetEnvironmentVariable("SPECSYNTH_TRACE_ASSEMBLIES") == "1")
{
    // Lets tests and benchmarks check that a command kept the provider SDKs, Roslyn and the tokenizer unloaded.
    foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
    {
        await Console.Error.WriteLineAsync("loaded: " + assembly.GetName().Name).ConfigureAwait(false);
    }
}
return exitCode;
