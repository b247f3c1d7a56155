using SpecSynth.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the run cleanly (exit 130, nothing written); a second one kills the process.
    e.Cancel = !cts.IsCancellationRequested;
    cts.Cancel();
};
return await CliApp.RunAsync(args, CliHost.FromProcess(), cts.Token).ConfigureAwait(false);
