namespace SpecSynth.Tests.Service;

/// <summary>Records a run's events synchronously, in order (<see cref="Progress{T}"/> would post them to the thread pool
/// and lose the order).</summary>
internal sealed class EventRecorder : IProgress<SpecSynthEvent>
{
    private readonly List<SpecSynthEvent> _events = [];

    /// <summary>The events so far.</summary>
    public IReadOnlyList<SpecSynthEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Report(SpecSynthEvent value)
    {
        lock (_events)
        {
            _events.Add(value);
        }
    }
}
