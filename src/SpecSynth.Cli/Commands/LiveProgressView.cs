using Spectre.Console;
using SpecSynth.Llm;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// The terminal view of a streamed generation (Spectre.Console live display on stderr): provider and model, tokens
/// received, elapsed time and files detected so far, redrawn at most ten times a second. Only created when stderr
/// is a terminal, so Spectre.Console is not loaded otherwise.
/// </summary>
internal sealed class LiveProgressView : IProgress<string>, IRestartAware
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(100);
    private readonly CliHost _host;
    private readonly ProviderChoice _provider;
    private readonly LiveDisplayContext _context;
    private readonly long _start;
    private readonly StreamStats _stats = new();
    private TimeSpan _lastDrawn = TimeSpan.Zero;

    private LiveProgressView(CliHost host, ProviderChoice provider, LiveDisplayContext context)
    {
        _host = host;
        _provider = provider;
        _context = context;
        _start = host.Time.GetTimestamp();
    }

    /// <summary>Runs <paramref name="work"/> under the live view and leaves a final summary line.</summary>
    public static async Task<T> RunAsync<T>(CliHost host, ProviderChoice provider, Func<IProgress<string>, Task<T>> work,
        Func<T, TokenUsage> usage)
    {
        var console = TerminalConsole.Create(host);
        T result = default!;
        await console.Live(Line(host, provider, "connecting…")).AutoClear(false).StartAsync(async context =>
        {
            var view = new LiveProgressView(host, provider, context);
            result = await work(view).ConfigureAwait(false);
            var elapsed = host.Time.GetElapsedTime(view._start);
            context.UpdateTarget(Line(host, provider,
                $"done, {usage(result).OutputTokens:N0} tokens, {view._stats.Files} files, {elapsed.TotalSeconds:0.0} s"));
        }).ConfigureAwait(false);
        return result;
    }

    public void Report(string value)
    {
        _stats.Add(value);
        var elapsed = _host.Time.GetElapsedTime(_start);
        if (elapsed - _lastDrawn >= Redraw)
        {
            _lastDrawn = elapsed;
            _context.UpdateTarget(Line(_host, _provider, _stats.Describe(elapsed)));
        }
    }

    public void Restarted()
    {
        _stats.Reset();
        _context.UpdateTarget(Line(_host, _provider, "restarting after an error…"));
    }

    private static Markup Line(CliHost host, ProviderChoice provider, string status) =>
        new($"{TerminalConsole.Bold(host, provider.Name)}/{Markup.Escape(provider.Model)}: {Markup.Escape(status)}");
}
