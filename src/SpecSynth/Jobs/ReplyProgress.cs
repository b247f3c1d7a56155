using SpecSynth.Middleware;

namespace SpecSynth.Jobs;

/// <summary>Turns a streamed reply's deltas and restarts into <see cref="ReplyDeltaEvent"/> and <see cref="ReplyRestartedEvent"/>.</summary>
internal sealed class ReplyProgress(EventSink sink) : IProgress<string>, IRestartAware
{
    public void Report(string value) => sink.Report(new ReplyDeltaEvent(value));

    public void Restarted() => sink.Report(new ReplyRestartedEvent());
}
