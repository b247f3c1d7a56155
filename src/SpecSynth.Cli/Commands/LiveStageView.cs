using Spectre.Console;
using Spectre.Console.Rendering;
using SpecSynth.Llm;

namespace SpecSynth.Cli.Commands;

/// <summary>The terminal view of <see cref="StageProgress"/>: finished stages as lines, the running one as a live line
/// below them (Spectre.Console live display on stderr, plain text: no colour or bold).</summary>
internal static class LiveStageView
{
    public static async Task<T> RunAsync<T>(CliHost host, ProviderChoice provider, Func<StageProgress, Task<T>> work)
    {
        var console = TerminalConsole.Create(host);
        var done = new List<IRenderable>();
        var gate = new Lock();
        T result = default!;
        await console.Live(new Text("")).AutoClear(false).StartAsync(async context =>
        {
            void Show(string? current)
            {
                lock (gate)
                {
                    context.UpdateTarget(new Rows(current is null ? [.. done] : [.. done, new Text(current)]));
                }
            }
            using (var stages = new StageProgress(host, provider, line => { lock (gate) { done.Add(new Text(line)); } Show(null); }, Show))
            {
                result = await work(stages).ConfigureAwait(false);
            }
            Show(null);
        }).ConfigureAwait(false);
        return result;
    }
}
